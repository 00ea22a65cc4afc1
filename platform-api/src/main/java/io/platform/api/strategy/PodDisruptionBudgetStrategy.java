package io.platform.api.strategy;

import io.platform.api.errors.StatusCause;
import io.platform.api.json.Json;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** PodDisruptionBudgets, as policy/v1: minAvailable or maxUnavailable (not both), a zero status on create. */
final class PodDisruptionBudgetStrategy implements ResourceStrategy {

    @Override
    public void prepareForCreate(ObjectNode budget) {
        ObjectNode status = Json.object();
        for (String field : List.of("disruptionsAllowed", "currentHealthy", "desiredHealthy", "expectedPods")) {
            status.put(field, 0);
        }
        budget.set("status", status);
    }

    @Override
    public boolean tracksGeneration() {
        return true;
    }

    @Override
    public List<StatusCause> validate(ObjectNode budget) {
        List<StatusCause> causes = new ArrayList<>();
        JsonNode spec = budget.path("spec");
        if (spec.hasNonNull("minAvailable") && spec.hasNonNull("maxUnavailable")) {
            causes.add(StatusCause.invalid("spec", Values.display(spec), "minAvailable and maxUnavailable cannot be both set"));
        }
        for (String field : List.of("minAvailable", "maxUnavailable")) {
            intOrPercent(spec.path(field), "spec." + field, causes);
        }
        SelectorRules.valid(spec.path("selector"), "spec.selector", causes);
        Values.supported(spec, "unhealthyPodEvictionPolicy", "spec.unhealthyPodEvictionPolicy",
                List.of("AlwaysAllow", "IfHealthyBudget"), causes);
        return causes;
    }

    /** As upstream's ValidateNonnegativeIntOrPercent plus IsNotMoreThan100Percent. */
    private static void intOrPercent(JsonNode value, String path, List<StatusCause> causes) {
        if (value.isNumber() && value.asLong() < 0) {
            causes.add(StatusCause.invalidNumber(path, value.asLong(), "must be greater than or equal to 0"));
        } else if (value.isString()) {
            String text = value.stringValue();
            if (!text.matches("[0-9]+%")) {
                causes.add(StatusCause.invalid(path, text, "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"));
            } else if (Integer.parseInt(text.substring(0, text.length() - 1)) > 100) {
                causes.add(StatusCause.invalid(path, text, "must not be greater than 100%"));
            }
        }
    }
}
