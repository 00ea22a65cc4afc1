package io.platform.api.strategy;

import io.platform.api.errors.StatusCause;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What is particular to one resource type when it is written, as upstream's registry strategies:
 * defaulting, resetting what a client may not set, and validation. Objects arrive as JSON trees
 * with server-owned metadata already handled by the caller.
 */
public interface ResourceStrategy {

    /** Clears or sets fields on create, e.g. a new pod's status is Pending whatever the client sent. */
    default void prepareForCreate(ObjectNode object) {}

    /** Carries over on update what the server allocated and a client may omit (a service's clusterIP). */
    default void prepareForUpdate(ObjectNode object, ObjectNode old) {}

    /** Fills defaults, on create and on every update, as upstream's defaulting functions. */
    default void applyDefaults(ObjectNode object) {}

    /** The name rule {@code metadata.name} must follow. */
    default NameRule nameRule() {
        return NameRule.DNS_SUBDOMAIN;
    }

    /** Validation of a new object (after defaulting); empty when valid. */
    default List<StatusCause> validate(ObjectNode object) {
        return List.of();
    }

    /** Validation of an update against the stored object, beyond {@link #validate}. */
    default List<StatusCause> validateUpdate(ObjectNode object, ObjectNode old) {
        return List.of();
    }

    /** Whether {@code metadata.generation} counts spec changes (deployments, replica sets). */
    default boolean tracksGeneration() {
        return false;
    }

    /** What a change of bumps {@code metadata.generation}: the spec, or e.g. a webhook configuration's webhooks. */
    default JsonNode generationSubject(JsonNode object) {
        return object.path("spec");
    }

    /**
     * Whether something must still run before a deleted object may go: {@code metadata.finalizers},
     * and for namespaces also {@code spec.finalizers}.
     */
    default boolean hasPendingFinalizers(JsonNode object) {
        return !object.path("metadata").path("finalizers").isEmpty();
    }

    /** Whether the status a client sends on create is kept (nodes) rather than reset. */
    default boolean keepsStatusOnCreate() {
        return false;
    }
}
