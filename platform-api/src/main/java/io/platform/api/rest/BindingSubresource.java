package io.platform.api.rest;

import io.platform.api.errors.ApiException;
import io.platform.api.errors.StatusCause;
import io.platform.api.json.Json;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code pods/{name}/binding}: assigns a pod to a node as upstream's BindingREST does, setting
 * {@code spec.nodeName} and a true {@code PodScheduled} condition; a bound or deleted pod is 409.
 */
final class BindingSubresource {

    private BindingSubresource() {}

    /** Checks a Binding body and returns the node it targets. */
    static String targetNode(ObjectNode binding, String podName) {
        String name = binding.path("metadata").path("name").asString("");
        if (!name.isEmpty() && !name.equals(podName)) {
            throw ApiException.badRequest("the name of the binding (" + name + ") does not match the pod (" + podName + ")");
        }
        JsonNode target = binding.path("target");
        String kind = target.path("kind").asString("");
        String node = target.path("name").asString("");
        if (!kind.isEmpty() && !kind.equals("Node")) {
            throw new ApiException(422, "Invalid", "Binding \"" + podName + "\" is invalid: target.kind: Invalid value: \""
                    + kind + "\": must be empty or 'Node'", podName, "", "Binding",
                    List.of(StatusCause.invalid("target.kind", kind, "must be empty or 'Node'")));
        }
        if (node.isEmpty()) {
            throw new ApiException(422, "Invalid", "Binding \"" + podName + "\" is invalid: target.name: Required value",
                    podName, "", "Binding", List.of(StatusCause.required("target.name", "")));
        }
        return node;
    }

    static ObjectNode bind(ObjectNode pod, ObjectNode binding, String node, Clock clock) {
        String name = pod.path("metadata").path("name").asString("");
        if (pod.path("metadata").hasNonNull("deletionTimestamp")) {
            throw conflict(name, "pod " + name + " is being deleted, cannot be assigned to a host");
        }
        String current = pod.path("spec").path("nodeName").asString("");
        if (!current.isEmpty()) {
            throw conflict(name, "pod " + name + " is already assigned to node \"" + current + "\"");
        }
        Json.child(pod, "spec").put("nodeName", node);
        JsonNode annotations = binding.path("metadata").path("annotations");
        if (annotations.isObject() && !annotations.isEmpty()) {
            ObjectNode podAnnotations = Json.child(Json.metadata(pod), "annotations");
            annotations.properties().forEach(e -> podAnnotations.set(e.getKey(), e.getValue()));
        }
        ObjectNode status = Json.child(pod, "status");
        ArrayNode conditions = status.path("conditions") instanceof ArrayNode existing ? existing : status.putArray("conditions");
        for (int i = conditions.size() - 1; i >= 0; i--) {
            if (conditions.get(i).path("type").asString("").equals("PodScheduled")) {
                conditions.remove(i);
            }
        }
        conditions.addObject().put("type", "PodScheduled").put("status", "True").putNull("lastProbeTime")
                .put("lastTransitionTime", clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
        Json.metadata(pod).remove("resourceVersion");
        return pod;
    }

    private static ApiException conflict(String name, String detail) {
        return new ApiException(409, "Conflict", "Operation cannot be fulfilled on pods/binding \"" + name + "\": " + detail,
                name, "", "pods/binding", List.of());
    }

    static ObjectNode created() {
        ObjectNode status = Json.object();
        status.put("kind", "Status").put("apiVersion", "v1");
        status.set("metadata", Json.object());
        status.put("status", "Success").put("code", 201);
        return status;
    }
}
