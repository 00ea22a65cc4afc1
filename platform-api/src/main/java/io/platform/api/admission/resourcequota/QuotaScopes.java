package io.platform.api.admission.resourcequota;

import io.platform.api.registry.ResourceType;
import tools.jackson.databind.JsonNode;

/**
 * Which objects a quota's {@code scopes} and {@code scopeSelector} let it count, as upstream's pod evaluator: scopes
 * narrow a quota to pods; {@code Terminating}/{@code NotTerminating} by {@code activeDeadlineSeconds},
 * {@code BestEffort}/{@code NotBestEffort} by whether any container states requests or limits, {@code PriorityClass}
 * by the pod's class with the selector's operator.
 */
final class QuotaScopes {

    private QuotaScopes() {}

    static boolean matches(JsonNode quota, ResourceType type, JsonNode object) {
        JsonNode scopes = quota.path("spec").path("scopes");
        JsonNode expressions = quota.path("spec").path("scopeSelector").path("matchExpressions");
        if (scopes.isEmpty() && expressions.isEmpty()) {
            return true;
        }
        if (!type.group().isEmpty() || !type.plural().equals("pods")) {
            return false;
        }
        for (JsonNode scope : scopes) {
            if (!matchesScope(scope.asString(""), "Exists", null, object)) {
                return false;
            }
        }
        for (JsonNode expression : expressions) {
            if (!matchesScope(expression.path("scopeName").asString(""), expression.path("operator").asString(""),
                    expression.path("values"), object)) {
                return false;
            }
        }
        return true;
    }

    private static boolean matchesScope(String scope, String operator, JsonNode values, JsonNode pod) {
        JsonNode spec = pod.path("spec");
        return switch (scope) {
            case "Terminating" -> spec.path("activeDeadlineSeconds").asLong(-1) >= 0;
            case "NotTerminating" -> spec.path("activeDeadlineSeconds").asLong(-1) < 0;
            case "BestEffort" -> bestEffort(spec);
            case "NotBestEffort" -> !bestEffort(spec);
            case "PriorityClass" -> {
                String name = spec.path("priorityClassName").asString("");
                boolean listed = false;
                if (values != null) {
                    for (JsonNode value : values) {
                        listed |= value.asString("").equals(name);
                    }
                }
                yield switch (operator) {
                    case "In" -> listed;
                    case "NotIn" -> !listed;
                    case "Exists" -> !name.isEmpty();
                    case "DoesNotExist" -> name.isEmpty();
                    default -> false;
                };
            }
            default -> false;
        };
    }

    private static boolean bestEffort(JsonNode spec) {
        for (String list : new String[] {"containers", "initContainers"}) {
            for (JsonNode container : spec.path(list)) {
                if (!container.path("resources").path("requests").isEmpty()
                        || !container.path("resources").path("limits").isEmpty()) {
                    return false;
                }
            }
        }
        return true;
    }
}
