package io.platform.api.strategy;

import io.platform.api.errors.StatusCause;
import io.platform.api.json.Json;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** DaemonSets: RollingUpdate with maxUnavailable 1 and maxSurge 0 by default, as apps/v1; selector immutable. */
final class DaemonSetStrategy implements ResourceStrategy {

    @Override
    public void prepareForCreate(ObjectNode object) {
        ObjectNode status = Json.object();
        for (String field : List.of("currentNumberScheduled", "numberMisscheduled", "desiredNumberScheduled",
                "numberReady")) {
            status.put(field, 0);
        }
        object.set("status", status);
    }

    @Override
    public void applyDefaults(ObjectNode object) {
        ObjectNode spec = Json.child(object, "spec");
        ObjectNode strategy = Json.child(spec, "updateStrategy");
        PodDefaults.putIfAbsent(strategy, "type", "RollingUpdate");
        if (strategy.path("type").asString("").equals("RollingUpdate")) {
            ObjectNode rolling = Json.child(strategy, "rollingUpdate");
            Values.defaultNumber(rolling, "maxUnavailable", 1);
            Values.defaultNumber(rolling, "maxSurge", 0);
        }
        Values.defaultNumber(spec, "revisionHistoryLimit", 10);
        PodDefaults.applyToTemplate(object);
    }

    @Override
    public boolean tracksGeneration() {
        return true;
    }

    @Override
    public List<StatusCause> validate(ObjectNode object) {
        List<StatusCause> causes = new ArrayList<>();
        JsonNode spec = object.path("spec");
        Values.nonNegative(spec, "minReadySeconds", "spec.minReadySeconds", causes);
        Values.supported(spec.path("updateStrategy"), "type", "spec.updateStrategy.type",
                List.of("OnDelete", "RollingUpdate"), causes);
        SelectorRules.matchTemplate(spec, "daemonset", causes);
        PodValidation.requireRestartPolicy(spec.path("template").path("spec"), "spec.template.spec.restartPolicy",
                List.of("Always"), causes);
        PodValidation.validateSpec(spec.path("template").path("spec"), "spec.template.spec", causes);
        return causes;
    }

    @Override
    public List<StatusCause> validateUpdate(ObjectNode object, ObjectNode old) {
        List<StatusCause> causes = new ArrayList<>();
        Values.immutable(object.path("spec").path("selector"), old.path("spec").path("selector"), "spec.selector", causes);
        return causes;
    }
}
