package io.platform.api.authorization.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.platform.api.authorization.rbac.PolicyRule;
import io.platform.api.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** Reconciling a default object that exists: only what it lacks is added, never what a user put there removed. */
class BootstrapPolicyReconcilerTest {

    @Test
    void aRoleGainsTheRulesItLacksAndKeepsTheUsersOwn() {
        ObjectNode expected = find(BootstrapPolicy.clusterRoles(), "system:basic-user");
        ObjectNode existing = expected.deepCopy();
        PolicyRule users = PolicyRule.resources(List.of("get"), List.of(""), List.of("configmaps"));
        existing.set("rules", PolicyRule.toJson(List.of(users)));
        Json.metadata(existing).putObject("labels").put("team", "mine");

        ObjectNode completed = BootstrapPolicyReconciler.completed(BootstrapPolicyReconciler.CLUSTER_ROLES, existing,
                expected);

        assertThat(completed).isNotNull();
        List<PolicyRule> rules = PolicyRule.listOf(completed.path("rules"));
        assertThat(rules.getFirst()).isEqualTo(users);
        assertThat(rules).anySatisfy(rule -> assertThat(rule.resources()).containsExactly("selfsubjectaccessreviews"));
        assertThat(completed.at("/metadata/labels/team").asString()).isEqualTo("mine");
        assertThat(completed.at("/metadata/labels/kubernetes.io~1bootstrapping").asString()).isEqualTo("rbac-defaults");
        assertThat(BootstrapPolicyReconciler.completed(BootstrapPolicyReconciler.CLUSTER_ROLES, completed.deepCopy(),
                expected)).isNull();
    }

    @Test
    void aggregatedRolesGainSelectorsAndBindingsSubjects() {
        ObjectNode expectedRole = find(BootstrapPolicy.clusterRoles(), "admin");
        ObjectNode role = expectedRole.deepCopy();
        role.putObject("aggregationRule").putArray("clusterRoleSelectors").addObject().putObject("matchLabels")
                .put("extra", "true");
        role.set("rules", PolicyRule.toJson(List.of(PolicyRule.resources(List.of("get"), List.of(""),
                List.of("pods")))));
        ObjectNode completedRole = BootstrapPolicyReconciler.completed(BootstrapPolicyReconciler.CLUSTER_ROLES, role,
                expectedRole);
        assertThat(completedRole).isNotNull();
        assertThat(completedRole.at("/aggregationRule/clusterRoleSelectors").size()).isEqualTo(2);
        assertThat(completedRole.at("/rules").size()).as("rules belong to aggregation").isEqualTo(1);

        ObjectNode expectedBinding = find(BootstrapPolicy.clusterRoleBindings(), "system:public-info-viewer");
        ObjectNode binding = expectedBinding.deepCopy();
        binding.putArray("subjects").addObject().put("kind", "User").put("name", "someone");
        ObjectNode completedBinding = BootstrapPolicyReconciler.completed(
                BootstrapPolicyReconciler.CLUSTER_ROLE_BINDINGS, binding, expectedBinding);
        assertThat(completedBinding).isNotNull();
        assertThat(completedBinding.path("subjects").valueStream().map(s -> s.path("name").asString()))
                .containsExactly("someone", "system:authenticated", "system:unauthenticated");
    }

    @Test
    void everyComponentIdentityIsBound() {
        List<ObjectNode> bindings = BootstrapPolicy.clusterRoleBindings();
        assertThat(subjects(bindings)).contains("system:kube-scheduler", "system:kube-controller-manager",
                "system:web-console", "system:masters", "system:authenticated", "system:unauthenticated",
                "system:serviceaccounts");
        assertThat(find(bindings, "system:node").has("subjects")).as("the Node authorizer covers nodes").isFalse();
    }

    private static List<String> subjects(List<ObjectNode> bindings) {
        return bindings.stream().flatMap(b -> b.path("subjects").valueStream()).map(s -> s.path("name").asString())
                .toList();
    }

    private static ObjectNode find(List<ObjectNode> objects, String name) {
        return objects.stream().filter(o -> o.at("/metadata/name").asString().equals(name)).findFirst().orElseThrow()
                .deepCopy();
    }
}
