package io.platform.api.conversion;

import io.platform.api.json.Json;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.MissingNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * autoscaling/v1 ↔ autoscaling/v2 HorizontalPodAutoscalers, one stored object (kept as v2) as upstream. v1 knows
 * only a CPU utilization target: it maps to a Resource {@code cpu} metric of type Utilization. What v1 cannot
 * express travels in annotations, as upstream's conversion does, so a v1 client's read-modify-write keeps it.
 */
public final class HorizontalPodAutoscalerConversion {

    static final String METRICS = "autoscaling.alpha.kubernetes.io/metrics";
    static final String CURRENT_METRICS = "autoscaling.alpha.kubernetes.io/current-metrics";
    static final String CONDITIONS = "autoscaling.alpha.kubernetes.io/conditions";
    static final String BEHAVIOR = "autoscaling.alpha.kubernetes.io/behavior";

    private HorizontalPodAutoscalerConversion() {}

    /** The autoscaling/v1 form of a stored autoscaling/v2 object. */
    public static ObjectNode toV1(JsonNode v2) {
        ObjectNode v1 = Json.object();
        v1.put("apiVersion", "autoscaling/v1").put("kind", "HorizontalPodAutoscaler");
        ObjectNode metadata = v2.path("metadata").isObject() ? (ObjectNode) v2.get("metadata").deepCopy() : Json.object();
        v1.set("metadata", metadata);
        JsonNode spec = v2.path("spec");
        ObjectNode v1Spec = v1.putObject("spec");
        copy(spec, v1Spec, "scaleTargetRef");
        copy(spec, v1Spec, "minReplicas");
        copy(spec, v1Spec, "maxReplicas");
        ArrayNode others = Json.array();
        for (JsonNode metric : spec.path("metrics")) {
            if (isCpuUtilization(metric.path("resource"), metric) && !v1Spec.has("targetCPUUtilizationPercentage")) {
                v1Spec.set("targetCPUUtilizationPercentage", metric.path("resource").path("target").get("averageUtilization"));
            } else {
                others.add(metric);
            }
        }
        annotate(metadata, METRICS, others);
        annotate(metadata, BEHAVIOR, spec.path("behavior"));
        JsonNode status = v2.path("status");
        if (status.isObject()) {
            ObjectNode v1Status = v1.putObject("status");
            for (String field : new String[] {"observedGeneration", "lastScaleTime", "currentReplicas", "desiredReplicas"}) {
                copy(status, v1Status, field);
            }
            ArrayNode otherCurrent = Json.array();
            for (JsonNode metric : status.path("currentMetrics")) {
                JsonNode current = metric.path("resource").path("current");
                if (metric.path("type").asString("").equals("Resource")
                        && metric.path("resource").path("name").asString("").equals("cpu")
                        && current.has("averageUtilization") && !v1Status.has("currentCPUUtilizationPercentage")) {
                    v1Status.set("currentCPUUtilizationPercentage", current.get("averageUtilization"));
                } else {
                    otherCurrent.add(metric);
                }
            }
            annotate(metadata, CURRENT_METRICS, otherCurrent);
            annotate(metadata, CONDITIONS, status.path("conditions"));
        }
        return v1;
    }

    /** The autoscaling/v2 form to store of an autoscaling/v1 object. */
    public static ObjectNode toV2(JsonNode v1) {
        ObjectNode v2 = Json.object();
        v2.put("apiVersion", "autoscaling/v2").put("kind", "HorizontalPodAutoscaler");
        ObjectNode metadata = v1.path("metadata").isObject() ? (ObjectNode) v1.get("metadata").deepCopy() : Json.object();
        v2.set("metadata", metadata);
        JsonNode spec = v1.path("spec");
        ObjectNode v2Spec = v2.putObject("spec");
        copy(spec, v2Spec, "scaleTargetRef");
        copy(spec, v2Spec, "minReplicas");
        copy(spec, v2Spec, "maxReplicas");
        ArrayNode metrics = Json.array();
        if (spec.has("targetCPUUtilizationPercentage")) {
            ObjectNode resource = metrics.addObject().put("type", "Resource").putObject("resource");
            resource.put("name", "cpu");
            resource.putObject("target").put("type", "Utilization")
                    .set("averageUtilization", spec.get("targetCPUUtilizationPercentage"));
        }
        takeAnnotation(metadata, METRICS).forEach(metrics::add);
        if (!metrics.isEmpty()) {
            v2Spec.set("metrics", metrics);
        }
        JsonNode behavior = takeAnnotation(metadata, BEHAVIOR);
        if (behavior.isObject()) {
            v2Spec.set("behavior", behavior);
        }
        JsonNode currentMetrics = takeAnnotation(metadata, CURRENT_METRICS);
        JsonNode conditions = takeAnnotation(metadata, CONDITIONS);
        JsonNode status = v1.path("status");
        if (status.isObject()) {
            ObjectNode v2Status = v2.putObject("status");
            for (String field : new String[] {"observedGeneration", "lastScaleTime", "currentReplicas", "desiredReplicas"}) {
                copy(status, v2Status, field);
            }
            ArrayNode current = Json.array();
            if (status.has("currentCPUUtilizationPercentage")) {
                ObjectNode resource = current.addObject().put("type", "Resource").putObject("resource");
                resource.put("name", "cpu");
                resource.putObject("current").set("averageUtilization", status.get("currentCPUUtilizationPercentage"));
            }
            currentMetrics.forEach(current::add);
            if (!current.isEmpty()) {
                v2Status.set("currentMetrics", current);
            }
            if (conditions.isArray() && !conditions.isEmpty()) {
                v2Status.set("conditions", conditions);
            }
        }
        if (metadata.path("annotations").isEmpty()) {
            metadata.remove("annotations");
        }
        return v2;
    }

    private static boolean isCpuUtilization(JsonNode resource, JsonNode metric) {
        return metric.path("type").asString("").equals("Resource")
                && resource.path("name").asString("").equals("cpu")
                && resource.path("target").path("type").asString("").equals("Utilization")
                && resource.path("target").has("averageUtilization");
    }

    private static void copy(JsonNode from, ObjectNode to, String field) {
        if (from.has(field) && !from.get(field).isNull()) {
            to.set(field, from.get(field));
        }
    }

    private static void annotate(ObjectNode metadata, String key, JsonNode value) {
        if ((value.isArray() || value.isObject()) && !value.isEmpty()) {
            Json.child(metadata, "annotations").put(key, Json.string(value));
        }
    }

    /** Removes the annotation and returns its parsed JSON value (missing when absent or not JSON). */
    private static JsonNode takeAnnotation(ObjectNode metadata, String key) {
        JsonNode annotations = metadata.path("annotations");
        if (!(annotations instanceof ObjectNode map) || !map.has(key)) {
            return MissingNode.getInstance();
        }
        String text = map.remove(key).asString("");
        try {
            return Json.MAPPER.readTree(text);
        } catch (JacksonException e) {
            return MissingNode.getInstance();
        }
    }
}
