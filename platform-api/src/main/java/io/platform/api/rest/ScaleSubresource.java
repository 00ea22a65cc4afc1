package io.platform.api.rest;

import io.platform.api.errors.ApiException;
import io.platform.api.json.Json;
import io.platform.api.selection.LabelSelector;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code scale} subresource of deployments, replica sets, stateful sets and replication controllers: an {@code autoscaling/v1 Scale}
 * view (spec.replicas, status.replicas, status.selector as a selector string) of the object.
 */
final class ScaleSubresource {

    static final String API_VERSION = "autoscaling/v1";
    static final String KIND = "Scale";

    private ScaleSubresource() {}

    static ObjectNode toScale(ObjectNode object) {
        ObjectNode scale = Json.object();
        scale.put("kind", KIND).put("apiVersion", API_VERSION);
        ObjectNode metadata = scale.putObject("metadata");
        JsonNode source = object.path("metadata");
        for (String field : new String[] {"name", "namespace", "uid", "resourceVersion", "creationTimestamp"}) {
            if (source.has(field)) {
                metadata.set(field, source.get(field));
            }
        }
        scale.putObject("spec").put("replicas", object.path("spec").path("replicas").asInt(0));
        ObjectNode status = scale.putObject("status");
        status.put("replicas", object.path("status").path("replicas").asInt(0));
        JsonNode selector = object.path("spec").path("selector");
        // a ReplicationController's selector is a plain label map, not a LabelSelector
        if (object.path("kind").asString("").equals("ReplicationController")) {
            selector = Json.object().set("matchLabels", selector);
        }
        status.put("selector", LabelSelector.fromObject(selector).toString());
        return scale;
    }

    /** Applies a Scale's desired replicas and resourceVersion precondition to the object. */
    static ObjectNode applyScale(ObjectNode object, ObjectNode scale) {
        JsonNode replicas = scale.path("spec").path("replicas");
        if (!replicas.isMissingNode() && !replicas.isIntegralNumber()) {
            throw ApiException.badRequest("spec.replicas of a Scale must be an integer");
        }
        Json.child(object, "spec").put("replicas", replicas.isMissingNode() ? 0 : replicas.asInt());
        String resourceVersion = scale.path("metadata").path("resourceVersion").asString("");
        ObjectNode metadata = Json.metadata(object);
        if (resourceVersion.isEmpty()) {
            metadata.remove("resourceVersion");
        } else {
            metadata.put("resourceVersion", resourceVersion);
        }
        return object;
    }
}
