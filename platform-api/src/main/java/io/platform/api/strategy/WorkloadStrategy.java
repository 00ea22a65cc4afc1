package io.platform.api.strategy;

import io.platform.api.errors.StatusCause;
import io.platform.api.json.Json;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Deployments and ReplicaSets: both own a selector and a pod template; deployments add a rollout
 * strategy. Defaults and validation as upstream's apps/v1 code.
 */
final class WorkloadStrategy implements ResourceStrategy {

    private final boolean deployment;

    WorkloadStrategy(boolean deployment) {
        this.deployment = deployment;
    }

    @Override
    public void prepareForCreate(ObjectNode object) {
        object.set("status", Json.object());
    }

    @Override
    public void applyDefaults(ObjectNode object) {
        ObjectNode spec = Json.child(object, "spec");
        if (!spec.hasNonNull("replicas")) {
            spec.put("replicas", 1);
        }
        if (deployment) {
            ObjectNode strategy = Json.child(spec, "strategy");
            PodDefaults.putIfAbsent(strategy, "type", "RollingUpdate");
            if (strategy.path("type").asString("").equals("RollingUpdate")) {
                ObjectNode rolling = Json.child(strategy, "rollingUpdate");
                PodDefaults.putIfAbsent(rolling, "maxUnavailable", "25%");
                PodDefaults.putIfAbsent(rolling, "maxSurge", "25%");
            }
            if (!spec.hasNonNull("revisionHistoryLimit")) {
                spec.put("revisionHistoryLimit", 10);
            }
            if (!spec.hasNonNull("progressDeadlineSeconds")) {
                spec.put("progressDeadlineSeconds", 600);
            }
        }
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
        JsonNode replicas = spec.path("replicas");
        if (replicas.isNumber() && replicas.asLong() < 0) {
            causes.add(StatusCause.invalidNumber("spec.replicas", replicas.asLong(), "must be greater than or equal to 0"));
        }
        SelectorRules.matchTemplate(spec, deployment ? "deployment" : "replicaset", causes);
        if (deployment) {
            String type = spec.path("strategy").path("type").asString("");
            if (!type.equals("RollingUpdate") && !type.equals("Recreate")) {
                causes.add(StatusCause.notSupported("spec.strategy.type", type, List.of("Recreate", "RollingUpdate")));
            }
        }
        PodValidation.validateSpec(spec.path("template").path("spec"), "spec.template.spec", causes);
        return causes;
    }

    @Override
    public List<StatusCause> validateUpdate(ObjectNode object, ObjectNode old) {
        JsonNode selector = object.path("spec").path("selector");
        if (!selector.equals(old.path("spec").path("selector"))) {
            // apps/v1 made the selector immutable
            return List.of(StatusCause.invalid("spec.selector", SelectorRules.goSelector(selector), "field is immutable"));
        }
        return List.of();
    }
}
