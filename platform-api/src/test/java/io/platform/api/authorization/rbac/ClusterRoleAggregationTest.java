package io.platform.api.authorization.rbac;

import static io.platform.api.authorization.rbac.RbacFixtures.role;
import static io.platform.api.authorization.rbac.RbacFixtures.stored;
import static org.assertj.core.api.Assertions.assertThat;

import io.platform.api.authorization.bootstrap.BootstrapPolicy;
import io.platform.api.resource.ObjectKeys;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Aggregation to a fixed point, as the clusterrole-aggregation controller settles chained roles. */
class ClusterRoleAggregationTest {

    private static final PolicyRule READ_PODS = PolicyRule.resources(List.of("get"), List.of(""), List.of("pods"));
    private static final PolicyRule WRITE_PODS = PolicyRule.resources(List.of("create"), List.of(""), List.of("pods"));

    @Test
    void chainedAggregationsSettleInOnePassWithoutDuplicates() {
        RoleEntry top = aggregated("top", Map.of(), "to-top");
        RoleEntry middle = aggregated("middle", Map.of("to-top", "true"), "to-middle");
        RoleEntry pieceA = entry("piece-a", Map.of("to-middle", "true"), List.of(READ_PODS));
        RoleEntry pieceB = entry("piece-b", Map.of("to-top", "true"), List.of(WRITE_PODS, READ_PODS));
        RoleEntry unrelated = entry("unrelated", Map.of("other", "true"), List.of(
                PolicyRule.resources(List.of("*"), List.of("*"), List.of("*"))));

        Map<String, List<PolicyRule>> changed = ClusterRoleAggregation.aggregate(
                List.of(top, middle, pieceA, pieceB, unrelated));

        assertThat(changed.get("middle")).containsExactly(READ_PODS);
        // name order: middle's (settled) rules, then piece-b's new one
        assertThat(changed.get("top")).containsExactly(READ_PODS, WRITE_PODS);
        assertThat(ClusterRoleAggregation.aggregate(List.of(
                new RoleEntry("", "top", List.of(READ_PODS, WRITE_PODS), Map.of(), top.aggregationSelectors()),
                new RoleEntry("", "middle", List.of(READ_PODS), middle.labels(), middle.aggregationSelectors()),
                pieceA, pieceB))).isEmpty();
    }

    @Test
    void theDefaultAdminEditAndViewRolesGatherUpstreamsPieces() {
        RbacPolicyCache cache = new RbacPolicyCache();
        cache.replace(BootstrapPolicy.clusterRoles().stream().map(role -> stored("clusterroles", role)).toList());
        Map<String, List<PolicyRule>> changed = ClusterRoleAggregation.aggregate(cache.clusterRoles());

        assertThat(changed.get("view")).anySatisfy(rule -> assertThat(rule.resources()).contains("pods"));
        assertThat(changed.get("view")).anySatisfy(rule -> assertThat(rule.resources()).contains("pods/log"));
        assertThat(changed.get("view")).noneSatisfy(rule -> assertThat(rule.verbs()).contains("create"));
        assertThat(changed.get("edit")).containsAll(changed.get("view"));
        assertThat(changed.get("edit")).anySatisfy(rule -> {
            assertThat(rule.apiGroups()).containsExactly("apps");
            assertThat(rule.resources()).contains("deployments", "deployments/scale");
            assertThat(rule.verbs()).contains("create", "patch");
        });
        assertThat(changed.get("admin")).containsAll(changed.get("edit"));
        assertThat(changed.get("admin")).anySatisfy(rule -> assertThat(rule.resources()).contains("rolebindings"));
        assertThat(changed.get("edit")).noneSatisfy(rule -> assertThat(rule.resources()).contains("rolebindings"));
        assertThat(changed.get("system:web-console")).containsAll(changed.get("edit"));
        assertThat(changed.get("system:web-console")).anySatisfy(rule ->
                assertThat(rule.resources()).contains("nodes", "namespaces"));
    }

    private static RoleEntry entry(String name, Map<String, String> labels, List<PolicyRule> rules) {
        return RoleEntry.of(ObjectKeys.decode(stored("clusterroles", role("ClusterRole", "", name, labels, rules))));
    }

    private static RoleEntry aggregated(String name, Map<String, String> labels, String selectorLabel) {
        var role = role("ClusterRole", "", name, labels, List.of());
        role.putObject("aggregationRule").putArray("clusterRoleSelectors").addObject().putObject("matchLabels")
                .put(selectorLabel, "true");
        return RoleEntry.of(role);
    }
}
