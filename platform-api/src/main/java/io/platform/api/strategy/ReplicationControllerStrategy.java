package io.platform.api.strategy;

import io.platform.api.errors.StatusCause;
import io.platform.api.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * ReplicationControllers: as upstream's SetDefaults_ReplicationController the selector and labels default to the
 * template's labels; the selector is a plain map that must match them.
 */
final class ReplicationControllerStrategy implements ResourceStrategy {

    @Override
    public void prepareForCreate(ObjectNode object) {
        object.set("status", Json.object().put("replicas", 0));
    }

    @Override
    public void applyDefaults(ObjectNode object) {
        ObjectNode spec = Json.child(object, "spec");
        JsonNode templateLabels = spec.path("template").path("metadata").path("labels");
        if (templateLabels.isObject() && !templateLabels.isEmpty()) {
            if (Values.missing(spec, "selector")) {
                spec.set("selector", templateLabels.deepCopy());
            }
            if (Values.missing(object.path("metadata"), "labels")) {
                Json.metadata(object).set("labels", templateLabels.deepCopy());
            }
        }
        Values.defaultNumber(spec, "replicas", 1);
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
        Map<String, String> selector = Json.stringMap(spec.path("selector"));
        if (selector.isEmpty()) {
            causes.add(StatusCause.required("spec.selector", ""));
        }
        if (!spec.path("template").isObject()) {
            causes.add(StatusCause.required("spec.template", ""));
            return causes;
        }
        Map<String, String> labels = Json.stringMap(spec.path("template").path("metadata").path("labels"));
        if (!selector.isEmpty() && !labels.entrySet().containsAll(selector.entrySet())) {
            causes.add(SelectorRules.templateMismatch(labels));
        }
        PodValidation.requireRestartPolicy(spec.path("template").path("spec"), "spec.template.spec.restartPolicy",
                List.of("Always"), causes);
        PodValidation.validateSpec(spec.path("template").path("spec"), "spec.template.spec", causes);
        return causes;
    }
}
