package io.platform.api.strategy;

import io.platform.api.errors.StatusCause;
import io.platform.api.json.Json;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** StatefulSets: apps/v1 defaults (OrderedReady, RollingUpdate partition 0, Retain PVCs) and update rules. */
final class StatefulSetStrategy implements ResourceStrategy {

    /** What upstream's ValidateStatefulSetUpdate lets an update change. */
    private static final List<String> MUTABLE = List.of("replicas", "ordinals", "template", "updateStrategy",
            "revisionHistoryLimit", "persistentVolumeClaimRetentionPolicy", "minReadySeconds");

    @Override
    public void prepareForCreate(ObjectNode object) {
        ObjectNode status = Json.object();
        status.put("replicas", 0);
        status.put("availableReplicas", 0);
        object.set("status", status);
    }

    @Override
    public void applyDefaults(ObjectNode object) {
        ObjectNode spec = Json.child(object, "spec");
        Values.defaultNumber(spec, "replicas", 1);
        PodDefaults.putIfAbsent(spec, "podManagementPolicy", "OrderedReady");
        ObjectNode strategy = Json.child(spec, "updateStrategy");
        PodDefaults.putIfAbsent(strategy, "type", "RollingUpdate");
        if (strategy.path("type").asString("").equals("RollingUpdate")) {
            Values.defaultNumber(Json.child(strategy, "rollingUpdate"), "partition", 0);
        }
        Values.defaultNumber(spec, "revisionHistoryLimit", 10);
        ObjectNode retention = Json.child(spec, "persistentVolumeClaimRetentionPolicy");
        PodDefaults.putIfAbsent(retention, "whenDeleted", "Retain");
        PodDefaults.putIfAbsent(retention, "whenScaled", "Retain");
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
        Values.nonNegative(spec, "replicas", "spec.replicas", causes);
        Values.nonNegative(spec, "minReadySeconds", "spec.minReadySeconds", causes);
        Values.supported(spec, "podManagementPolicy", "spec.podManagementPolicy", List.of("OrderedReady", "Parallel"), causes);
        Values.supported(spec.path("updateStrategy"), "type", "spec.updateStrategy.type",
                List.of("OnDelete", "RollingUpdate"), causes);
        Values.nonNegative(spec.path("updateStrategy").path("rollingUpdate"), "partition",
                "spec.updateStrategy.rollingUpdate.partition", causes);
        for (String field : List.of("whenDeleted", "whenScaled")) {
            Values.supported(spec.path("persistentVolumeClaimRetentionPolicy"), field,
                    "spec.persistentVolumeClaimRetentionPolicy." + field, List.of("Retain", "Delete"), causes);
        }
        SelectorRules.matchTemplate(spec, "statefulset", causes);
        PodValidation.requireRestartPolicy(spec.path("template").path("spec"), "spec.template.spec.restartPolicy",
                List.of("Always"), causes);
        PodValidation.validateSpec(spec.path("template").path("spec"), "spec.template.spec", causes);
        return causes;
    }

    @Override
    public List<StatusCause> validateUpdate(ObjectNode object, ObjectNode old) {
        if (!withoutMutable(object.path("spec")).equals(withoutMutable(old.path("spec")))) {
            return List.of(StatusCause.forbidden("spec", "updates to statefulset spec for fields other than "
                    + "'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', "
                    + "'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"));
        }
        return List.of();
    }

    private static JsonNode withoutMutable(JsonNode spec) {
        if (!(spec instanceof ObjectNode object)) {
            return spec;
        }
        ObjectNode copy = object.deepCopy();
        MUTABLE.forEach(copy::remove);
        return copy;
    }
}
