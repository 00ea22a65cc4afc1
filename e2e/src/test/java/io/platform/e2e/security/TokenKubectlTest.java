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
 * ServiceAccount tokens as a user meets them with the real kubectl 1.33: {@code kubectl create token} (a protobuf
 * TokenRequest), the token used with {@code --token} from a kubeconfig that holds no client certificate,
 * audiences, pod binding, and the 401 of a token that is no good.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TokenKubectlTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private KubectlCluster cluster;
    private Kubectl admin;
    /** kubectl against the same server with the CA and no credentials of its own: every call passes --token. */
    private Kubectl tokenOnly;

    @BeforeAll
    void start() throws IOException {
        cluster = KubectlCluster.start("token");
        admin = cluster.admin();
        tokenOnly = cluster.withoutCredentials();
        // the default ServiceAccount, unless a ServiceAccount controller made it already
        CommandResult created = admin.run("create", "serviceaccount", "default", "-n", "default");
        assertThat(created.exitCode() == 0 || created.stderr().contains("already exists"))
                .as(created.stderr()).isTrue();
    }

    @AfterAll
    void stop() throws IOException {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aCreatedTokenIsTheServiceAccountInWhoami() throws Exception {
        String token = admin.ok("create", "token", "default", "-n", "default").trim();
        assertThat(token.split("\\.")).hasSize(3);

        JsonNode whoami = JSON.readTree(tokenOnly.ok("--token=" + token, "auth", "whoami", "-o", "json"));
        assertThat(whoami.at("/status/userInfo/username").asString()).isEqualTo("system:serviceaccount:default:default");
        assertThat(whoami.at("/status/userInfo/uid").asString()).isEqualTo(
                admin.ok("get", "serviceaccount", "default", "-n", "default", "-o", "jsonpath={.metadata.uid}"));
        assertThat(whoami.at("/status/userInfo/groups").valueStream().map(JsonNode::asString)).containsExactly(
                "system:serviceaccounts", "system:serviceaccounts:default", "system:authenticated");

        List<String> table = tokenOnly.ok("--token=" + token, "auth", "whoami").lines()
                .map(line -> line.trim().replaceAll("\\s+", " ")).toList();
        assertThat(table).contains("Username system:serviceaccount:default:default",
                "Groups [system:serviceaccounts system:serviceaccounts:default system:authenticated]");
        assertThat(table).anyMatch(line -> line.startsWith("Extra: authentication.kubernetes.io/credential-id [JTI="));

        CommandResult pods = tokenOnly.run("--token=" + token, "get", "pods", "-n", "default");
        assertThat(pods.exitCode()).isNotZero();
        assertThat(pods.stderr()).contains("pods is forbidden: User \"system:serviceaccount:default:default\""
                + " cannot list resource \"pods\" in API group \"\" in the namespace \"default\"");
    }

    @Test
    void aTokenForAnotherAudienceOrAnInvalidOneIsUnauthorized() {
        String vault = admin.ok("create", "token", "default", "-n", "default", "--audience", "vault",
                "--duration", "20m").trim();
        CommandResult refused = tokenOnly.run("--token=" + vault, "auth", "whoami");
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.stderr()).contains("Unauthorized");

        CommandResult garbage = tokenOnly.run("--token=garbage", "get", "pods");
        assertThat(garbage.exitCode()).isNotZero();
        assertThat(garbage.stderr()).contains("You must be logged in to the server");

        CommandResult missing = admin.run("create", "token", "nobody", "-n", "default");
        assertThat(missing.exitCode()).isNotZero();
        assertThat(missing.stderr()).contains("serviceaccounts \"nobody\" not found");
    }

    @Test
    void aPodBoundTokenNamesThePodAndDiesWithIt() throws Exception {
        admin.ok("create", "serviceaccount", "runner", "-n", "default");
        admin.ok("run", "bound", "-n", "default", "--image=busybox:1.35", "--restart=Never",
                "--overrides={\"spec\":{\"serviceAccountName\":\"runner\"}}");
        String token = admin.ok("create", "token", "runner", "-n", "default", "--bound-object-kind", "Pod",
                "--bound-object-name", "bound").trim();
        JsonNode whoami = JSON.readTree(tokenOnly.ok("--token=" + token, "auth", "whoami", "-o", "json"));
        assertThat(whoami.at("/status/userInfo/extra/authentication.kubernetes.io~1pod-name/0").asString())
                .isEqualTo("bound");
        assertThat(whoami.at("/status/userInfo/extra/authentication.kubernetes.io~1pod-uid/0").asString()).isEqualTo(
                admin.ok("get", "pod", "bound", "-n", "default", "-o", "jsonpath={.metadata.uid}"));

        admin.ok("delete", "pod", "bound", "-n", "default", "--wait=false");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(tokenOnly.run("--token=" + token, "auth", "whoami").stderr()).contains("Unauthorized"));
    }
}
