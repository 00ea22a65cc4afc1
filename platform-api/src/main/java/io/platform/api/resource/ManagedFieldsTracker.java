package io.platform.api.resource;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Decides {@code metadata.managedFields} of an object about to be written, after defaulting and validation, as
 * upstream's field manager does on every write. {@code next} carries the managedFields the client sent, if any.
 */
@FunctionalInterface
public interface ManagedFieldsTracker {

    /** @param old the stored object, null on create */
    void track(@Nullable ObjectNode old, ObjectNode next);

    /** Writes that record no manager (the server's own): stored entries stay, entries sent are ignored. */
    ManagedFieldsTracker UNTRACKED = (old, next) -> {
        JsonNode stored = old == null ? null : old.path("metadata").get("managedFields");
        ObjectNode metadata = (ObjectNode) next.path("metadata");
        if (stored == null) {
            metadata.remove("managedFields");
        } else {
            metadata.set("managedFields", stored);
        }
    };
}
