package io.platform.api.authorization.rbac;

import io.platform.api.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * A Role ({@code namespace} set) or ClusterRole ({@code namespace} ""), as the authorizer holds it.
 *
 * @param labels the role's labels, which aggregation rules select on
 * @param aggregationSelectors a ClusterRole's {@code aggregationRule.clusterRoleSelectors} (each a label selector
 *     as JSON); empty when it aggregates nothing
 */
public record RoleEntry(String namespace, String name, List<PolicyRule> rules, Map<String, String> labels,
        List<JsonNode> aggregationSelectors) {

    public RoleEntry {
        rules = List.copyOf(rules);
        labels = Map.copyOf(labels);
        aggregationSelectors = List.copyOf(aggregationSelectors);
    }

    static RoleEntry of(JsonNode role) {
        JsonNode metadata = role.path("metadata");
        List<JsonNode> selectors = new ArrayList<>();
        JsonNode aggregation = role.path("aggregationRule");
        if (aggregation.isObject()) {
            aggregation.path("clusterRoleSelectors").forEach(selectors::add);
        }
        return new RoleEntry(metadata.path("namespace").asString(""), metadata.path("name").asString(""),
                PolicyRule.listOf(role.path("rules")), Json.stringMap(metadata.path("labels")), selectors);
    }

    /** Whether the role has an aggregation rule (its rules are then what aggregation wrote). */
    public boolean aggregated() {
        return !aggregationSelectors.isEmpty();
    }
}
