package io.platform.api.strategy;

import io.platform.api.errors.StatusCause;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** IngressClasses: a controller name, required and immutable; parameters scoped Cluster or Namespace. */
final class IngressClassStrategy implements ResourceStrategy {

    @Override
    public boolean tracksGeneration() {
        return true;
    }

    @Override
    public List<StatusCause> validate(ObjectNode ingressClass) {
        List<StatusCause> causes = new ArrayList<>();
        JsonNode spec = ingressClass.path("spec");
        Values.required(spec, "controller", "spec.controller", causes);
        if (spec.path("controller").asString("").length() > 250) {
            causes.add(new StatusCause("FieldValueTooLong", "spec.controller", "Too long: may not be more than 250 bytes"));
        }
        JsonNode parameters = spec.path("parameters");
        if (parameters.isObject()) {
            Values.required(parameters, "kind", "spec.parameters.kind", causes);
            Values.required(parameters, "name", "spec.parameters.name", causes);
            Values.supported(parameters, "scope", "spec.parameters.scope", List.of("Cluster", "Namespace"), causes);
            if (parameters.path("scope").asString("").equals("Namespace")) {
                Values.required(parameters, "namespace", "spec.parameters.namespace", causes);
            }
        }
        return causes;
    }

    @Override
    public List<StatusCause> validateUpdate(ObjectNode ingressClass, ObjectNode old) {
        List<StatusCause> causes = new ArrayList<>();
        Values.immutable(ingressClass.path("spec").path("controller"), old.path("spec").path("controller"),
                "spec.controller", causes);
        return causes;
    }
}
