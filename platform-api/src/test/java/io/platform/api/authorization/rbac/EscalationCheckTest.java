package io.platform.api.authorization.rbac;

import static io.platform.api.authorization.rbac.RbacFixtures.binding;
import static io.platform.api.authorization.rbac.RbacFixtures.role;
import static io.platform.api.authorization.rbac.RbacFixtures.stored;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.platform.api.admission.AdmissionRequest;
import io.platform.api.admission.AdmissionRequest.Operation;
import io.platform.api.auth.AuthenticatedUser;
import io.platform.api.errors.ApiException;
import io.platform.api.registry.BuiltinResources;
import io.platform.api.registry.ResourceType;
import io.platform.api.storage.WatchEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** Escalation prevention: holding every rule, or the escalate and bind verbs, as upstream's policy-based storage. */
class EscalationCheckTest {

    private static final AuthenticatedUser CAROL = new AuthenticatedUser("carol", List.of("system:authenticated"));
    private static final AuthenticatedUser ADMIN = new AuthenticatedUser("admin", List.of("system:masters"));
    private static final ResourceType ROLES = type("roles");
    private static final ResourceType ROLE_BINDINGS = type("rolebindings");
    private static final ResourceType CLUSTER_ROLES = type("clusterroles");

    private final RbacPolicyCache cache = new RbacPolicyCache();
    private final RbacAuthorizer rbac = new RbacAuthorizer(cache);
    private final EscalationCheck check = new EscalationCheck(rbac, rbac);

    @BeforeEach
    void fill() {
        cache.replace(List.of(
                stored("roles", role("Role", "team", "role-writer", Map.of(), List.of(
                        PolicyRule.resources(List.of("create", "update"), List.of("rbac.authorization.k8s.io"),
                                List.of("roles", "rolebindings")),
                        PolicyRule.resources(List.of("get", "list"), List.of(""), List.of("pods"))))),
                stored("clusterroles", role("ClusterRole", "", "secret-reader", Map.of(), List.of(
                        PolicyRule.resources(List.of("get"), List.of(""), List.of("secrets"))))),
                stored("rolebindings", binding("RoleBinding", "team", "carol", "Role", "role-writer",
                        List.of(Map.of("kind", "User", "name", "carol"))))));
    }

    @Test
    void aRoleWithinWhatTheUserHoldsIsAccepted() {
        assertThatCode(() -> check.validate(request(ROLES, "readers", role("Role", "team", "readers", Map.of(),
                List.of(PolicyRule.resources(List.of("get"), List.of(""), List.of("pods"))))))).doesNotThrowAnyException();
    }

    @Test
    void aRoleGrantingMoreIsRefusedWithUpstreamsMessage() {
        ObjectNode role = role("Role", "team", "creators", Map.of(), List.of(
                PolicyRule.resources(List.of("get", "create", "delete"), List.of(""), List.of("pods")),
                PolicyRule.resources(List.of("list"), List.of("apps"), List.of("deployments"))));
        assertThatThrownBy(() -> check.validate(request(ROLES, "creators", role)))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(403);
                    assertThat(e.getMessage()).isEqualTo("roles.rbac.authorization.k8s.io \"creators\" is forbidden:"
                            + " user \"carol\" (groups=[\"system:authenticated\"]) is attempting to grant RBAC"
                            + " permissions not currently held:\n"
                            + "{APIGroups:[\"\"], Resources:[\"pods\"], Verbs:[\"create\" \"delete\"]}\n"
                            + "{APIGroups:[\"apps\"], Resources:[\"deployments\"], Verbs:[\"list\"]}");
                });
        assertThatCode(() -> check.validate(new AdmissionRequest(Operation.CREATE, ROLES, "", "team", "creators", role,
                null, ADMIN, false, new ArrayList<>()))).doesNotThrowAnyException();
    }

    @Test
    void theEscalateVerbLiftsTheCheck() {
        cache.apply(new WatchEvent(WatchEvent.Type.CREATED,
                stored("rolebindings", binding("RoleBinding", "team", "carol-escalates", "ClusterRole", "escalator",
                        List.of(Map.of("kind", "User", "name", "carol")))), null));
        cache.apply(new WatchEvent(WatchEvent.Type.CREATED,
                stored("clusterroles", role("ClusterRole", "", "escalator", Map.of(), List.of(PolicyRule.resources(
                        List.of("escalate"), List.of("rbac.authorization.k8s.io"), List.of("roles"))))), null));
        assertThatCode(() -> check.validate(request(ROLES, "big", role("Role", "team", "big", Map.of(), List.of(
                PolicyRule.resources(List.of("*"), List.of("*"), List.of("*"))))))).doesNotThrowAnyException();
    }

    @Test
    void bindingARoleNeedsItsRulesOrTheBindVerb() {
        ObjectNode binding = binding("RoleBinding", "team", "dave-secrets", "ClusterRole", "secret-reader",
                List.of(Map.of("kind", "User", "name", "dave")));
        assertThatThrownBy(() -> check.validate(request(ROLE_BINDINGS, "dave-secrets", binding)))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getMessage()).endsWith(
                        "is attempting to grant RBAC permissions not currently held:\n"
                                + "{APIGroups:[\"\"], Resources:[\"secrets\"], Verbs:[\"get\"]}"));

        cache.apply(new WatchEvent(WatchEvent.Type.CREATED,
                stored("rolebindings", binding("RoleBinding", "team", "carol-binds", "ClusterRole", "binder",
                        List.of(Map.of("kind", "User", "name", "carol")))), null));
        cache.apply(new WatchEvent(WatchEvent.Type.CREATED,
                stored("clusterroles", role("ClusterRole", "", "binder", Map.of(), List.of(PolicyRule.resources(
                        List.of("bind"), List.of("rbac.authorization.k8s.io"), List.of("clusterroles"))
                        .withResourceNames(List.of("secret-reader"))))), null));
        assertThatCode(() -> check.validate(request(ROLE_BINDINGS, "dave-secrets", binding))).doesNotThrowAnyException();
    }

    @Test
    void aggregationRulesNeedFullAuthority() {
        ObjectNode role = role("ClusterRole", "", "gatherer", Map.of(), List.of());
        role.putObject("aggregationRule").putArray("clusterRoleSelectors").addObject().putObject("matchLabels")
                .put("x", "y");
        assertThatThrownBy(() -> check.validate(new AdmissionRequest(Operation.CREATE, CLUSTER_ROLES, "", null,
                "gatherer", role, null, CAROL, false, new ArrayList<>())))
                .hasMessage("clusterroles.rbac.authorization.k8s.io \"gatherer\" is forbidden: must have cluster-admin"
                        + " privileges to use the aggregationRule");
    }

    @Test
    void coverageBreaksRulesDownAndHonoursWildcards() {
        List<PolicyRule> owner = List.of(
                PolicyRule.resources(List.of("*"), List.of("apps"), List.of("*/scale")),
                PolicyRule.resources(List.of("get"), List.of(""), List.of("configmaps")).withResourceNames(List.of("a")),
                PolicyRule.urls(List.of("get"), List.of("/logs/*")));
        assertThat(RuleCoverage.uncovered(owner, List.of(
                PolicyRule.resources(List.of("update"), List.of("apps"), List.of("deployments/scale")),
                PolicyRule.resources(List.of("get"), List.of(""), List.of("configmaps")).withResourceNames(List.of("a")),
                PolicyRule.urls(List.of("get"), List.of("/logs/x"))))).isEmpty();
        assertThat(RuleCoverage.uncovered(owner, List.of(
                PolicyRule.resources(List.of("get"), List.of(""), List.of("configmaps")),
                PolicyRule.urls(List.of("get"), List.of("/metrics")))))
                .extracting(PolicyRule::compactString)
                .containsExactly("{APIGroups:[\"\"], Resources:[\"configmaps\"], Verbs:[\"get\"]}",
                        "{NonResourceURLs:[\"/metrics\"], Verbs:[\"get\"]}");
    }

    private static AdmissionRequest request(ResourceType type, String name, ObjectNode object) {
        return new AdmissionRequest(Operation.CREATE, type, "", "team", name, object, null, CAROL, false,
                new ArrayList<>());
    }

    private static ResourceType type(String plural) {
        return BuiltinResources.find("rbac.authorization.k8s.io", "v1", plural).orElseThrow();
    }
}
