package io.platform.api.authorization.rbac;

import static io.platform.api.authorization.rbac.RbacFixtures.binding;
import static io.platform.api.authorization.rbac.RbacFixtures.role;
import static io.platform.api.authorization.rbac.RbacFixtures.stored;
import static org.assertj.core.api.Assertions.assertThat;

import io.platform.api.auth.AuthenticatedUser;
import io.platform.api.authorization.Attributes;
import io.platform.api.authorization.Decision;
import io.platform.api.authorization.Rules;
import io.platform.api.storage.WatchEvent;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The RBAC authorizer over a cache filled as the store feed fills it: subjects, scopes, reasons and rules. */
class RbacAuthorizerTest {

    private static final AuthenticatedUser BOB = new AuthenticatedUser("bob", List.of("dev", "system:authenticated"));
    private static final AuthenticatedUser ROBOT = new AuthenticatedUser("system:serviceaccount:team:robot",
            List.of("system:serviceaccounts", "system:serviceaccounts:team", "system:authenticated"));

    private final RbacPolicyCache cache = new RbacPolicyCache();
    private final RbacAuthorizer authorizer = new RbacAuthorizer(cache);

    @BeforeEach
    void fill() {
        cache.replace(List.of(
                stored("clusterroles", role("ClusterRole", "", "pod-reader", Map.of(), List.of(
                        PolicyRule.resources(List.of("get", "list"), List.of(""), List.of("pods")),
                        PolicyRule.urls(List.of("get"), List.of("/healthz"))))),
                stored("roles", role("Role", "team", "deployer", Map.of(), List.of(
                        PolicyRule.resources(List.of("create"), List.of("apps"), List.of("deployments"))))),
                stored("clusterrolebindings", binding("ClusterRoleBinding", "", "devs-read", "ClusterRole",
                        "pod-reader", List.of(Map.of("kind", "Group", "name", "dev")))),
                stored("rolebindings", binding("RoleBinding", "team", "robot-deploys", "Role", "deployer",
                        List.of(Map.of("kind", "ServiceAccount", "name", "robot")))),
                stored("rolebindings", binding("RoleBinding", "team", "bob-ghost", "ClusterRole", "ghost",
                        List.of(Map.of("kind", "User", "name", "bob"))))));
    }

    @Test
    void clusterRoleBindingsAllowEverywhereWithUpstreamsReason() {
        Decision decision = authorizer.decide(pods(BOB, "list", "elsewhere"));
        assertThat(decision.allowed()).isTrue();
        assertThat(decision.reason()).isEqualTo(
                "RBAC: allowed by ClusterRoleBinding \"devs-read\" of ClusterRole \"pod-reader\" to Group \"dev\"");
        assertThat(authorizer.decide(Attributes.nonResource(BOB, "get", "/healthz")).allowed()).isTrue();
        assertThat(authorizer.decide(Attributes.nonResource(BOB, "get", "/version")).allowed()).isFalse();
    }

    @Test
    void deniedIsNoOpinionWithoutReason() {
        Decision decision = authorizer.decide(pods(BOB, "create", "elsewhere"));
        assertThat(decision.allowed()).isFalse();
        assertThat(decision.denied()).isFalse();
        assertThat(decision.reason()).isEmpty();
    }

    @Test
    void aBindingToAMissingRoleIsReportedWhenNothingAllows() {
        Decision decision = authorizer.decide(pods(BOB, "create", "team"));
        assertThat(decision.allowed()).isFalse();
        assertThat(decision.reason()).isEqualTo("RBAC: clusterrole.rbac.authorization.k8s.io \"ghost\" not found");
    }

    @Test
    void serviceAccountSubjectsWithoutNamespaceAreTheBindingsNamespace() {
        Attributes create = Attributes.resource(ROBOT, "create", "apps", "v1", "deployments", "", "team", "");
        Decision decision = authorizer.decide(create);
        assertThat(decision.allowed()).isTrue();
        assertThat(decision.reason()).isEqualTo("RBAC: allowed by RoleBinding \"robot-deploys/team\" of Role"
                + " \"deployer\" to ServiceAccount \"robot/team\"");
        Attributes elsewhere = Attributes.resource(ROBOT, "create", "apps", "v1", "deployments", "", "other", "");
        assertThat(authorizer.decide(elsewhere).allowed()).isFalse();
        AuthenticatedUser impostor = new AuthenticatedUser("system:serviceaccount:other:robot", List.of());
        assertThat(authorizer.decide(Attributes.resource(impostor, "create", "apps", "v1", "deployments", "", "team",
                "")).allowed()).isFalse();
    }

    @Test
    void changesFromTheWatchApply() {
        var removed = stored("clusterrolebindings", binding("ClusterRoleBinding", "", "devs-read", "ClusterRole",
                "pod-reader", List.of(Map.of("kind", "Group", "name", "dev"))));
        cache.apply(new WatchEvent(WatchEvent.Type.DELETED, removed, removed));
        assertThat(authorizer.decide(pods(BOB, "list", "elsewhere")).allowed()).isFalse();

        cache.apply(new WatchEvent(WatchEvent.Type.CREATED, stored("clusterrolebindings", binding(
                "ClusterRoleBinding", "", "bob-read", "ClusterRole", "pod-reader",
                List.of(Map.of("kind", "User", "name", "bob")))), null));
        assertThat(authorizer.decide(pods(BOB, "list", "elsewhere")).reason())
                .isEqualTo("RBAC: allowed by ClusterRoleBinding \"bob-read\" of ClusterRole \"pod-reader\" to User \"bob\"");
    }

    @Test
    void rulesForListCLusterAndNamespaceRules() {
        Rules team = authorizer.rulesFor(ROBOT, "team");
        assertThat(team.resourceRules()).singleElement()
                .satisfies(rule -> assertThat(rule.resources()).containsExactly("deployments"));
        assertThat(team.incomplete()).isFalse();

        Rules bob = authorizer.rulesFor(BOB, "team");
        assertThat(bob.resourceRules()).singleElement()
                .satisfies(rule -> assertThat(rule.verbs()).containsExactly("get", "list"));
        assertThat(bob.nonResourceRules()).singleElement()
                .satisfies(rule -> assertThat(rule.nonResourceURLs()).containsExactly("/healthz"));
        assertThat(bob.incomplete()).isTrue();
        assertThat(bob.evaluationError()).isEqualTo("clusterrole.rbac.authorization.k8s.io \"ghost\" not found");
    }

    private static Attributes pods(AuthenticatedUser user, String verb, String namespace) {
        return Attributes.resource(user, verb, "", "v1", "pods", "", namespace, "");
    }
}
