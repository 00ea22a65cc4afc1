package io.platform.api.storage;

import org.jspecify.annotations.Nullable;

/**
 * One change. For {@code DELETED} the value is the last one stored before the deletion and its
 * {@code modRevision} is the revision of the deletion.
 */
public record WatchEvent(Type type, KeyValue kv, @Nullable KeyValue previous) {

    public enum Type { CREATED, UPDATED, DELETED }

    public long revision() {
        return kv.modRevision();
    }
}
