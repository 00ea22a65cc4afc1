package io.platform.common.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * The identity a controller works on: namespace and name only, never the event that caused the
 * work (level-based reconciliation). Cluster-scoped objects have an empty namespace.
 */
public record ObjectKey(String namespace, String name) {

    public ObjectKey {
        namespace = namespace == null ? "" : namespace;
    }

    public static ObjectKey of(HasMetadata object) {
        return new ObjectKey(object.getMetadata().getNamespace(), object.getMetadata().getName());
    }

    /** Parses the informer cache key format: {@code namespace/name} or {@code name}. */
    public static ObjectKey parse(String key) {
        int slash = key.indexOf('/');
        return slash < 0 ? new ObjectKey("", key) : new ObjectKey(key.substring(0, slash), key.substring(slash + 1));
    }

    public boolean namespaced() {
        return !namespace.isEmpty();
    }

    /** The same format fabric8's informer cache uses for its keys. */
    @Override
    public String toString() {
        return namespace.isEmpty() ? name : namespace + "/" + name;
    }
}
