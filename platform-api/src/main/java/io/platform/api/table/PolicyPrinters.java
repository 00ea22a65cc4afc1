package io.platform.api.table;

import io.kubernetes.client.openapi.models.V1PodDisruptionBudgetSpec;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudgetStatus;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** kube-apiserver's printer of policy/v1 pod disruption budgets. */
final class PolicyPrinters {

    private PolicyPrinters() {}

    static void register(Map<String, Printer> printers) {
        printers.put("policy/poddisruptionbudgets", new Printer(List.of(Column.name(0),
                Column.field("Min Available", V1PodDisruptionBudgetSpec.class, "minAvailable"),
                Column.field("Max Unavailable", V1PodDisruptionBudgetSpec.class, "maxUnavailable"),
                Column.of("Allowed Disruptions", "integer",
                        Column.describe(V1PodDisruptionBudgetStatus.class, "disruptionsAllowed"), 0),
                Column.age()),
                (budget, now) -> List.of(Cells.name(budget), intOrString(Json.at(budget, "spec", "minAvailable")),
                        intOrString(Json.at(budget, "spec", "maxUnavailable")),
                        Json.number(budget, "status", "disruptionsAllowed"), Cells.age(budget, now))));
    }

    /** An IntOrString as Go's String() writes it; N/A when unset. */
    private static String intOrString(JsonNode value) {
        if (value.isNumber()) {
            return Long.toString(value.asLong());
        }
        return value.isString() ? value.stringValue() : "N/A";
    }
}
