package io.platform.e2e.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.platform.api.testing.CommandResult;
import io.platform.api.testing.Kubectl;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * RBAC as a user meets it through the real kubectl 1.33: a user whose certificate the cluster CA issued, bound to
 * the default {@code view} ClusterRole in one namespace, reads pods there, is told {@code no} by
 * {@code auth can-i create pods}, sees exactly the view rules in {@code auth can-i --list}, and is Forbidden from
 * creating a Deployment with Kubernetes' message. The admin (system:masters) sets the binding up with kubectl too.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RbacKubectlTest {

    private static final String NS = "rbac-e2e";

    private KubectlCluster cluster;
    private Kubectl admin;
    private Kubectl viewer;

    @BeforeAll
    void start() throws IOException {
        cluster = KubectlCluster.start("rbac");
        admin = cluster.admin();
        viewer = cluster.user("viewer", List.of("qa"));

        admin.ok("create", "namespace", NS);
        admin.ok("run", "web", "--image=busybox:1.35", "-n", NS, "--", "sleep", "3600");
        admin.ok("create", "rolebinding", "viewer-view", "--clusterrole=view", "--user=viewer", "-n", NS);
        // the binding reaches the authorizer through the store's watch
        Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> viewer.run("get", "pods", "-n", NS).exitCode() == 0);
    }

    @AfterAll
    void stop() throws IOException {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void theViewerGetsPods() {
        assertThat(viewer.ok("get", "pods", "-n", NS, "-o", "name")).isEqualTo("pod/web\n");
        assertThat(viewer.ok("get", "pod", "web", "-n", NS, "-o", "jsonpath={.metadata.name}")).isEqualTo("web");
    }

    @Test
    void canIAnswersPerRbac() {
        CommandResult create = viewer.run("auth", "can-i", "create", "pods", "-n", NS);
        assertThat(create.exitCode()).isEqualTo(1);
        assertThat(create.stdout()).isEqualTo("no\n");
        assertThat(viewer.ok("auth", "can-i", "list", "pods", "-n", NS)).isEqualTo("yes\n");
        assertThat(viewer.run("auth", "can-i", "list", "pods", "-n", "default").stdout()).isEqualTo("no\n");
        assertThat(viewer.run("auth", "can-i", "get", "secrets", "-n", NS).stdout()).isEqualTo("no\n");
        assertThat(admin.ok("auth", "can-i", "create", "pods", "-n", NS)).isEqualTo("yes\n");
    }

    @Test
    void canIListShowsTheViewRules() {
        List<List<String>> rows = viewer.ok("auth", "can-i", "--list", "-n", NS).lines()
                .map(line -> List.of(line.trim().split("\\s{2,}"))).toList();
        assertThat(rows.getFirst()).containsExactly("Resources", "Non-Resource URLs", "Resource Names", "Verbs");
        assertThat(rows).contains(
                List.of("pods", "[]", "[]", "[get list watch]"),
                List.of("deployments.apps", "[]", "[]", "[get list watch]"),
                List.of("selfsubjectaccessreviews.authorization.k8s.io", "[]", "[]", "[create]"),
                List.of("[/version]", "[]", "[get]"));
        assertThat(rows).noneMatch(row -> row.getFirst().equals("*.*") || row.getFirst().equals("secrets"));
    }

    @Test
    void creatingADeploymentIsForbidden() {
        CommandResult created = viewer.run("create", "deployment", "web", "--image=busybox:1.35", "-n", NS);
        assertThat(created.exitCode()).isNotZero();
        assertThat(created.stderr()).contains("deployments.apps is forbidden: User \"viewer\" cannot create resource"
                + " \"deployments\" in API group \"apps\" in the namespace \"rbac-e2e\"");
        assertThat(admin.run("get", "deployment", "web", "-n", NS).exitCode()).isNotZero();
    }
}
