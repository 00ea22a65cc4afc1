package io.platform.api.strategy;

import io.platform.api.errors.StatusCause;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Roles and ClusterRoles: path-segment names and policy rules as upstream's ValidatePolicyRule; only cluster roles
 * may grant non-resource URLs.
 */
final class RoleStrategy implements ResourceStrategy {

    private final boolean cluster;

    RoleStrategy(boolean cluster) {
        this.cluster = cluster;
    }

    @Override
    public NameRule nameRule() {
        return NameRule.PATH_SEGMENT;
    }

    @Override
    public List<StatusCause> validate(ObjectNode role) {
        List<StatusCause> causes = new ArrayList<>();
        int i = 0;
        for (JsonNode rule : role.path("rules")) {
            String at = "rules[" + i++ + "]";
            if (rule.path("verbs").isEmpty()) {
                causes.add(StatusCause.required(at + ".verbs", "verbs must contain at least one value"));
            }
            boolean nonResource = !rule.path("nonResourceURLs").isEmpty();
            if (nonResource) {
                if (!cluster) {
                    causes.add(StatusCause.invalid(at + ".nonResourceURLs", Values.display(rule.path("nonResourceURLs")),
                            "namespaced rules cannot apply to non-resource URLs"));
                } else if (!rule.path("apiGroups").isEmpty() || !rule.path("resources").isEmpty()) {
                    causes.add(StatusCause.invalid(at + ".nonResourceURLs", Values.display(rule.path("nonResourceURLs")),
                            "rules cannot apply to both regular resources and non-resource URLs"));
                }
                continue;
            }
            if (rule.path("apiGroups").isEmpty()) {
                causes.add(StatusCause.required(at + ".apiGroups", "resource rules must supply at least one api group"));
            }
            if (rule.path("resources").isEmpty()) {
                causes.add(StatusCause.required(at + ".resources", "resource rules must supply at least one resource"));
            }
        }
        if (cluster) {
            int s = 0;
            for (JsonNode selector : role.path("aggregationRule").path("clusterRoleSelectors")) {
                SelectorRules.valid(selector, "aggregationRule.clusterRoleSelectors[" + s++ + "]", causes);
            }
        }
        return causes;
    }
}
