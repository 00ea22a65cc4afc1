package io.platform.api.strategy;

import io.platform.api.errors.StatusCause;
import io.platform.api.json.Json;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** PodTemplates: the pod spec under {@code template} is defaulted and validated as a pod's; changes bump generation. */
final class PodTemplateStrategy implements ResourceStrategy {

    @Override
    public void applyDefaults(ObjectNode object) {
        PodDefaults.applyToSpec(Json.child(Json.child(object, "template"), "spec"));
    }

    @Override
    public boolean tracksGeneration() {
        return true;
    }

    @Override
    public JsonNode generationSubject(JsonNode object) {
        return object.path("template");
    }

    @Override
    public List<StatusCause> validate(ObjectNode object) {
        List<StatusCause> causes = new ArrayList<>();
        PodValidation.validateSpec(object.path("template").path("spec"), "template.spec", causes);
        return causes;
    }
}
