package io.platform.api.strategy;

import io.platform.api.errors.StatusCause;
import io.platform.api.json.Json;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * HorizontalPodAutoscalers in autoscaling/v2 and v1: minReplicas 1 by default, and in v2 an 80 % CPU utilization
 * metric when none is given, as upstream's defaulting; a scale target, and maxReplicas at least minReplicas.
 */
final class HorizontalPodAutoscalerStrategy implements ResourceStrategy {

    private static final int DEFAULT_CPU_UTILIZATION = 80;

    private final boolean v2;

    HorizontalPodAutoscalerStrategy(boolean v2) {
        this.v2 = v2;
    }

    @Override
    public void prepareForCreate(ObjectNode autoscaler) {
        autoscaler.set("status", Json.object().put("currentReplicas", 0).put("desiredReplicas", 0));
    }

    @Override
    public void applyDefaults(ObjectNode autoscaler) {
        ObjectNode spec = Json.child(autoscaler, "spec");
        Values.defaultNumber(spec, "minReplicas", 1);
        if (v2 && spec.path("metrics").isEmpty()) {
            ObjectNode resource = spec.putArray("metrics").addObject().put("type", "Resource").putObject("resource");
            resource.put("name", "cpu");
            resource.putObject("target").put("type", "Utilization").put("averageUtilization", DEFAULT_CPU_UTILIZATION);
        }
    }

    @Override
    public boolean tracksGeneration() {
        return true;
    }

    @Override
    public List<StatusCause> validate(ObjectNode autoscaler) {
        List<StatusCause> causes = new ArrayList<>();
        JsonNode spec = autoscaler.path("spec");
        Values.required(spec.path("scaleTargetRef"), "kind", "spec.scaleTargetRef.kind", causes);
        Values.required(spec.path("scaleTargetRef"), "name", "spec.scaleTargetRef.name", causes);
        long min = spec.path("minReplicas").asLong(1);
        long max = spec.path("maxReplicas").asLong(0);
        if (min < 1) {
            causes.add(StatusCause.invalidNumber("spec.minReplicas", min, "must be greater than or equal to 1"));
        }
        if (max < 1) {
            causes.add(StatusCause.invalidNumber("spec.maxReplicas", max, "must be greater than 0"));
        } else if (max < min) {
            causes.add(StatusCause.invalidNumber("spec.maxReplicas", max, "must be greater than or equal to `minReplicas`"));
        }
        JsonNode cpu = spec.path("targetCPUUtilizationPercentage");
        if (cpu.isNumber() && cpu.asLong() < 1) {
            causes.add(StatusCause.invalidNumber("spec.targetCPUUtilizationPercentage", cpu.asLong(),
                    "must be greater than 0"));
        }
        int i = 0;
        for (JsonNode metric : spec.path("metrics")) {
            Values.requiredSupported(metric, "type", "spec.metrics[" + i++ + "].type",
                    List.of("ContainerResource", "External", "Object", "Pods", "Resource"), causes);
        }
        return causes;
    }
}
