package io.platform.e2e.kubectl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.platform.api.testing.RunningApiServer;
import io.platform.api.testing.CommandResult;
import io.platform.api.testing.Kubectl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The review APIs as the real kubectl uses them: {@code auth can-i} (a SelfSubjectAccessReview, sent as protobuf),
 * {@code auth can-i --list} (a SelfSubjectRulesReview), {@code auth whoami} (a SelfSubjectReview), a TokenReview
 * created from a manifest, and the refusal to list a create-only type. The server authorizes with RBAC and the admin
 * is in system:masters (bound to cluster-admin), so it may do everything.
 */
@ExtendWith(SharedApiServer.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthReviewKubectlTest {

    private static final Path KUBECTL_DIR = Path.of("/usr/lib/google-cloud-sdk/bin");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Path work;

    @BeforeAll
    void createWork() throws IOException {
        work = Files.createTempDirectory("kubectl-auth");
    }

    @AfterAll
    void removeWork() throws IOException {
        try (Stream<Path> paths = Files.walk(work)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @ParameterizedTest(name = "kubectl {0}")
    @ValueSource(strings = {"1.30", "1.32", "1.33"})
    void canIAnswersFromTheAuthorizer(String minor, RunningApiServer server) {
        Kubectl kubectl = kubectl(minor, server);
        assertThat(kubectl.ok("auth", "can-i", "create", "deployments", "-n", "x")).isEqualTo("yes\n");
        assertThat(kubectl.ok("auth", "can-i", "get", "pods", "--subresource=log", "-n", "x")).isEqualTo("yes\n");
        assertThat(kubectl.ok("auth", "can-i", "delete", "nodes/n1")).isEqualTo("yes\n");
        assertThat(kubectl.ok("auth", "can-i", "get", "/healthz")).isEqualTo("yes\n");
    }

    @ParameterizedTest(name = "kubectl {0}")
    @ValueSource(strings = {"1.30", "1.32", "1.33"})
    void canIListShowsEveryRule(String minor, RunningApiServer server) {
        List<List<String>> rows = kubectl(minor, server).ok("auth", "can-i", "--list", "-n", "x").lines()
                .map(line -> List.of(line.trim().split("\\s{2,}"))).toList();
        assertThat(rows.getFirst()).containsExactly("Resources", "Non-Resource URLs", "Resource Names", "Verbs");
        assertThat(rows).contains(List.of("*.*", "[]", "[]", "[*]"), List.of("[*]", "[]", "[*]"));
    }

    @ParameterizedTest(name = "kubectl {0}")
    @ValueSource(strings = {"1.30", "1.32", "1.33"})
    void whoamiShowsTheCertificatesUserAndGroups(String minor, RunningApiServer server) {
        Kubectl kubectl = kubectl(minor, server);
        List<String> table = kubectl.ok("auth", "whoami").lines().map(line -> line.trim().replaceAll("\\s+", " ")).toList();
        assertThat(table).containsExactly("ATTRIBUTE VALUE", "Username admin",
                "Groups [system:masters system:authenticated]");
        JsonNode review = JSON.readTree(kubectl.ok("auth", "whoami", "-o", "json"));
        assertThat(review.path("kind").asString()).isEqualTo("SelfSubjectReview");
        assertThat(review.at("/status/userInfo/username").asString()).isEqualTo("admin");
        assertThat(review.at("/status/userInfo/groups").valueStream().map(JsonNode::asString))
                .containsExactly("system:masters", "system:authenticated");
    }

    @ParameterizedTest(name = "kubectl {0}")
    @ValueSource(strings = {"1.30", "1.32", "1.33"})
    void aTokenReviewIsAnsweredAndNotStored(String minor, RunningApiServer server) {
        Kubectl kubectl = kubectl(minor, server);
        String manifest = """
                apiVersion: authentication.k8s.io/v1
                kind: TokenReview
                spec:
                  token: not-a-known-token
                """;
        // kubectl validates kinds without a PATCH operation (the reviews) against /openapi/v2 in protobuf, which this
        // server does not serve (it answers JSON only), so the manifest goes unvalidated
        CommandResult created = kubectl.run(Map.of(), manifest, "create", "--validate=false", "-f", "-", "-o", "json")
                .requireSuccess();
        JsonNode review = JSON.readTree(created.stdout());
        assertThat(review.at("/status/authenticated").asBoolean(true)).isFalse();
        assertThat(review.at("/status/user").isEmpty()).isTrue();

        CommandResult listed = kubectl.run("get", "tokenreviews");
        assertThat(listed.exitCode()).isNotZero();
        assertThat(listed.stderr()).contains("the server does not allow this method on the requested resource");
        assertThat(kubectl.ok("api-resources", "--api-group=authorization.k8s.io", "-o", "wide").lines()
                .filter(line -> line.startsWith("selfsubjectaccessreviews "))
                .map(line -> line.trim().replaceAll("\\s+", " ")))
                .containsExactly("selfsubjectaccessreviews authorization.k8s.io/v1 false SelfSubjectAccessReview create");
    }

    private Kubectl kubectl(String minor, RunningApiServer server) {
        Path binary = KUBECTL_DIR.resolve("kubectl." + minor);
        assumeTrue(Files.isExecutable(binary), "kubectl " + minor + " is not installed at " + binary);
        return new Kubectl(binary, server.pki().adminKubeconfig(), work.resolve("cache-" + minor));
    }
}
