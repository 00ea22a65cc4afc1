package io.platform.api.apply;

import io.platform.api.json.Json;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The bridge between client-side and server-side apply that kube-apiserver keeps for the manager {@code kubectl}:
 * fields still as {@code kubectl.kubernetes.io/last-applied-configuration} says may be taken over without conflict
 * (so a first {@code apply --server-side} after client-side applies succeeds), and the annotation follows what was
 * applied (so going back to client-side apply still works).
 */
final class LastAppliedConfiguration {

    static final String ANNOTATION = "kubectl.kubernetes.io/last-applied-configuration";
    static final String KUBECTL = "kubectl";

    private LastAppliedConfiguration() {}

    /** The fields of the last client-side applied configuration whose values the live object still has. */
    static FieldSet unchangedFields(ObjectNode live, ApplySchema schema) {
        ObjectNode lastApplied = read(live);
        if (lastApplied == null) {
            return FieldSet.EMPTY;
        }
        try {
            ObjectComparison comparison = ObjectComparison.of(lastApplied, live, schema);
            return ObjectFields.of(lastApplied, schema).difference(comparison.modified()).difference(comparison.removed());
        } catch (IllegalArgumentException e) {
            return FieldSet.EMPTY;
        }
    }

    /** Rewrites the annotation to the applied configuration when the live object had one. */
    static void follow(ObjectNode live, ObjectNode config, ObjectNode result) {
        if (read(live) == null) {
            return;
        }
        ObjectNode applied = config.deepCopy();
        JsonNode annotations = applied.path("metadata").path("annotations");
        if (annotations instanceof ObjectNode map) {
            map.remove(ANNOTATION);
            if (map.isEmpty()) {
                ((ObjectNode) applied.get("metadata")).remove("annotations");
            }
        }
        Json.child(Json.metadata(result), "annotations").put(ANNOTATION, Json.string(applied));
    }

    private static @Nullable ObjectNode read(ObjectNode live) {
        JsonNode value = live.path("metadata").path("annotations").path(ANNOTATION);
        if (!value.isString() || value.asString().isEmpty()) {
            return null;
        }
        try {
            return Json.parseObject(value.asString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
