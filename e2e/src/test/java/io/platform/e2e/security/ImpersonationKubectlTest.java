package io.platform.e2e.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.platform.api.testing.CommandResult;
import io.platform.api.testing.Kubectl;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Impersonation with the real kubectl 1.33 ({@code --as}, {@code --as-group}, {@code --as-uid}): the admin
 * (system:masters) acts as another user, who is then authorized as itself; a user without the impersonate verb is
 * refused with kube-apiserver's message until RBAC grants it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImpersonationKubectlTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private KubectlCluster cluster;
    private Kubectl admin;
    private Kubectl alice;

    @BeforeAll
    void start() throws IOException {
        cluster = KubectlCluster.start("impersonation");
        admin = cluster.admin();
        alice = cluster.user("alice", List.of());
    }

    @AfterAll
    void stop() throws IOException {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void theAdminActsAsBobWhoIsAuthorizedAsHimself() throws Exception {
        JsonNode whoami = JSON.readTree(admin.ok("--as=bob", "--as-group=dev", "--as-uid=b-1", "auth", "whoami",
                "-o", "json"));
        assertThat(whoami.at("/status/userInfo/username").asString()).isEqualTo("bob");
        assertThat(whoami.at("/status/userInfo/uid").asString()).isEqualTo("b-1");
        assertThat(whoami.at("/status/userInfo/groups").valueStream().map(JsonNode::asString))
                .containsExactly("dev", "system:authenticated");

        CommandResult before = admin.run("--as=bob", "get", "pods", "-n", "default");
        assertThat(before.exitCode()).isNotZero();
        assertThat(before.stderr()).contains("pods is forbidden: User \"bob\" cannot list resource \"pods\" in API"
                + " group \"\" in the namespace \"default\"");

        admin.ok("create", "rolebinding", "bob-view", "--clusterrole=view", "--user=bob", "-n", "default");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(admin.run("--as=bob", "get", "pods", "-n", "default").exitCode()).isZero());
        CommandResult write = admin.run("--as=bob", "create", "configmap", "x", "-n", "default");
        assertThat(write.exitCode()).isNotZero();
        assertThat(write.stderr()).contains("User \"bob\" cannot create resource \"configmaps\"");
        assertThat(admin.ok("--as=bob", "auth", "can-i", "list", "pods", "-n", "default")).isEqualTo("yes\n");
    }

    @Test
    void aUserWithoutTheImpersonateVerbIsRefusedUntilGrantedIt() {
        // discovery as alice herself first: kubectl reports a refused discovery request only as "unknown"
        alice.ok("api-resources", "--api-group=apps");
        CommandResult refused = alice.run("--as=carol", "get", "pods", "-n", "default");
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.stderr()).contains("users \"carol\" is forbidden: User \"alice\" cannot impersonate"
                + " resource \"users\" in API group \"\" at the cluster scope");

        admin.ok("create", "clusterrole", "impersonate-carol", "--verb=impersonate", "--resource=users",
                "--resource-name=carol");
        admin.ok("create", "clusterrolebinding", "alice-impersonates-carol", "--clusterrole=impersonate-carol",
                "--user=alice");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
                alice.run("--as=carol", "auth", "whoami").stdout()).contains("carol"));
        CommandResult group = alice.run("--as=carol", "--as-group=system:masters", "get", "pods", "-n", "default");
        assertThat(group.exitCode()).isNotZero();
        assertThat(group.stderr()).contains("groups \"system:masters\" is forbidden: User \"alice\" cannot"
                + " impersonate resource \"groups\" in API group \"\" at the cluster scope");
    }
}
