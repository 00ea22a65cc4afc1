package io.platform.e2e.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.platform.api.auth.oidc.OidcTestProvider;
import io.platform.api.testing.RunningApiServer;
import io.platform.api.testing.CommandResult;
import io.platform.api.testing.Kubectl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Single sign-on with an external OIDC issuer as a person meets it with the real kubectl: a real provider on
 * loopback (HTTPS, discovery, JWKS, authorization code flow), an API server trusting two of its issuers through
 * {@code platform.api.oidc.*}, and {@code kubectl --token=<id_token> auth whoami} from a kubeconfig that holds no
 * credentials of its own showing the mapped user and groups; tokens that must not pass get 401.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OidcKubectlTest {

    private static final Path KUBECTL_DIR = Path.of("/usr/lib/google-cloud-sdk/bin");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration HOUR = Duration.ofHours(1);

    private Path work;
    private OidcTestProvider provider;
    private RunningApiServer server;
    private Path kubeconfig;

    @BeforeAll
    void start() throws IOException {
        // a @TempDir field would be injected only after @BeforeAll
        work = Files.createTempDirectory("kubectl-oidc");
        provider = OidcTestProvider.start(work);
        server = RunningApiServer.start("node-a", Map.ofEntries(
                Map.entry("platform.api.oidc.issuers[0].issuer-url", provider.issuerUrl("corp")),
                Map.entry("platform.api.oidc.issuers[0].audiences[0]", "kubectl"),
                Map.entry("platform.api.oidc.issuers[0].username-claim", "email"),
                Map.entry("platform.api.oidc.issuers[0].groups-claim", "groups"),
                Map.entry("platform.api.oidc.issuers[0].groups-prefix", "oidc:"),
                Map.entry("platform.api.oidc.issuers[0].required-claims.tenant", "acme"),
                Map.entry("platform.api.oidc.issuers[0].ca-file", provider.caFile().toString()),
                Map.entry("platform.api.oidc.issuers[1].issuer-url", provider.issuerUrl("partner")),
                Map.entry("platform.api.oidc.issuers[1].audiences[0]", "kubectl"),
                Map.entry("platform.api.oidc.issuers[1].ca-file", provider.caFile().toString())));
        kubeconfig = Kubectl.credentiallessKubeconfig(work.resolve("no-credentials.kubeconfig"), server.url(),
                server.pki().caCertificate());
    }

    @AfterAll
    void stop() throws IOException {
        if (server != null) {
            server.close();
        }
        if (provider != null) {
            provider.close();
        }
        if (work != null) {
            try (Stream<Path> paths = Files.walk(work)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @ParameterizedTest(name = "kubectl {0}")
    @ValueSource(strings = {"1.30", "1.32", "1.33"})
    void whoamiShowsTheUserAndGroupsOfTheIdToken(String minor) {
        String idToken = provider.idTokenFromTokenEndpoint("corp", "kubectl", "u-17",
                Map.of("email", "alice@example.com", "email_verified", true, "tenant", "acme",
                        "groups", List.of("dev", "ops")));

        List<String> table = kubectl(minor).ok("--token=" + idToken, "auth", "whoami").lines()
                .map(line -> line.trim().replaceAll("\\s+", " ")).toList();

        assertThat(table).containsExactly("ATTRIBUTE VALUE", "Username alice@example.com",
                "Groups [oidc:dev oidc:ops system:authenticated]");
    }

    @Test
    void eachConfiguredIssuerMapsItsOwnUsers() {
        String idToken = provider.idToken("partner", "carol", List.of("kubectl"), Map.of("groups", List.of("x")), HOUR);

        JsonNode user = JSON.readTree(kubectl("1.33").ok("--token=" + idToken, "auth", "whoami", "-o", "json"))
                .at("/status/userInfo");

        assertThat(user.path("username").asString()).isEqualTo(provider.issuerUrl("partner") + "#carol");
        assertThat(user.path("groups").valueStream().map(JsonNode::asString)).containsExactly("system:authenticated");
    }

    @Test
    void tokensThatMustNotPassAreUnauthorized() {
        Map<String, Object> alice = Map.of("email", "alice@example.com", "tenant", "acme");
        List<String> refused = List.of(
                provider.idTokenIssued(Duration.ofHours(2), "corp", "u-17", List.of("kubectl"), alice, HOUR),
                provider.idToken("corp", "u-17", List.of("grafana"), alice, HOUR),
                provider.idToken("corp", "u-17", List.of("kubectl"), Map.of("email", "alice@example.com"), HOUR),
                provider.idToken("corp", "u-17", List.of("kubectl"),
                        Map.of("email", "system:admin", "tenant", "acme"), HOUR),
                provider.idToken("unknown", "u-17", List.of("kubectl"), alice, HOUR));
        for (String token : refused) {
            CommandResult result = kubectl("1.33").run("--token=" + token, "auth", "whoami");
            assertThat(result.exitCode()).as(result.stdout()).isNotZero();
            assertThat(result.stderr()).contains("Unauthorized");
        }
    }

    private Kubectl kubectl(String minor) {
        Path binary = KUBECTL_DIR.resolve("kubectl." + minor);
        assumeTrue(Files.isExecutable(binary), "kubectl " + minor + " is not installed at " + binary);
        return new Kubectl(binary, kubeconfig, work.resolve("cache-" + minor));
    }
}
