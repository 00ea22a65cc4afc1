package io.platform.api.auth.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.authentication.SelfSubjectReview;
import io.fabric8.kubernetes.api.model.authentication.SelfSubjectReviewBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewStatus;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.platform.api.testing.RunningApiServer;
import io.platform.common.client.KubeconfigClients;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OIDC single sign-on through a real API server over TLS, configured with {@code platform.api.oidc.*} properties
 * for two issuers of a real provider: TokenReviews (asked by the admin) answer with the mapped user, or why not,
 * and a request carrying the id_token as its bearer token is made as that user.
 */
class OidcApiServerTest {

    private static final Duration HOUR = Duration.ofHours(1);

    @TempDir
    static Path dir;

    private static OidcTestProvider provider;
    private static RunningApiServer server;
    private static KubernetesClient admin;

    @BeforeAll
    static void start() {
        provider = OidcTestProvider.start(dir);
        server = RunningApiServer.start("node-1", Map.ofEntries(
                Map.entry("platform.api.oidc.issuers[0].issuer-url", provider.issuerUrl("corp")),
                Map.entry("platform.api.oidc.issuers[0].audiences[0]", "platform"),
                Map.entry("platform.api.oidc.issuers[0].username-claim", "email"),
                Map.entry("platform.api.oidc.issuers[0].groups-claim", "groups"),
                Map.entry("platform.api.oidc.issuers[0].groups-prefix", "corp:"),
                Map.entry("platform.api.oidc.issuers[0].required-claims.tenant", "acme"),
                Map.entry("platform.api.oidc.issuers[0].ca-file", provider.caFile().toString()),
                Map.entry("platform.api.oidc.issuers[1].issuer-url", provider.issuerUrl("partner")),
                Map.entry("platform.api.oidc.issuers[1].audiences", "platform,console"),
                Map.entry("platform.api.oidc.issuers[1].ca-file", provider.caFile().toString())));
        admin = KubeconfigClients.fromFile(server.pki().adminKubeconfig());
    }

    @AfterAll
    static void stop() {
        admin.close();
        server.close();
        provider.close();
    }

    @Test
    void anIdTokenFromEitherIssuerIsTheUserItsClaimsName() {
        String corp = provider.idToken("corp", "u-1", List.of("platform"), Map.of("email", "bob@example.com",
                "email_verified", true, "tenant", "acme", "groups", List.of("dev", "ops")), HOUR);
        TokenReviewStatus bob = review(corp, List.of());
        assertThat(bob.getAuthenticated()).isTrue();
        assertThat(bob.getUser().getUsername()).isEqualTo("bob@example.com");
        assertThat(bob.getUser().getGroups()).containsExactly("corp:dev", "corp:ops", "system:authenticated");
        assertThat(bob.getError()).isNull();

        String partner = provider.idToken("partner", "carol", List.of("console"), Map.of("groups", List.of("x")),
                HOUR);
        TokenReviewStatus carol = review(partner, List.of());
        assertThat(carol.getAuthenticated()).isTrue();
        assertThat(carol.getUser().getUsername()).isEqualTo(provider.issuerUrl("partner") + "#carol");
        assertThat(carol.getUser().getGroups()).as("no groups claim configured").containsExactly("system:authenticated");

        // the default prefix keeps an outside subject out of the platform's system: names
        TokenReviewStatus prefixed = review(provider.idToken("partner", "system:admin", List.of("platform"), Map.of(),
                HOUR), List.of());
        assertThat(prefixed.getUser().getUsername()).isEqualTo(provider.issuerUrl("partner") + "#system:admin");
    }

    @Test
    void anIdTokenFromTheAuthorizationCodeFlowAuthenticates() {
        String token = provider.idTokenFromTokenEndpoint("corp", "platform", "u-2",
                Map.of("email", "dana@example.com", "tenant", "acme", "groups", List.of("sre")));
        TokenReviewStatus dana = review(token, List.of());
        assertThat(dana.getError()).isNull();
        assertThat(dana.getUser().getUsername()).isEqualTo("dana@example.com");
        assertThat(dana.getUser().getGroups()).containsExactly("corp:sre", "system:authenticated");
    }

    @Test
    void invalidTokensAreRefusedWithTheReason() {
        Map<String, Object> good = Map.of("email", "bob@example.com", "tenant", "acme");
        assertRefused(provider.idToken("corp", "u-1", List.of("grafana"), good, HOUR),
                "oidc: verify token: expected audience [\"platform\"] got [\"grafana\"]");
        assertRefused(provider.idTokenIssued(Duration.ofHours(2), "corp", "u-1", List.of("platform"), good, HOUR),
                "oidc: verify token: Jwt expired at ");
        assertRefused(provider.idToken("corp", "u-1", List.of("platform"), Map.of("email", "bob@example.com"), HOUR),
                "oidc: required claim tenant not present in ID token");
        assertRefused(provider.idToken("corp", "u-1", List.of("platform"),
                Map.of("email", "bob@example.com", "tenant", "acme", "email_verified", false), HOUR),
                "oidc: email not verified");
        assertRefused(provider.idToken("corp", "u-1", List.of("platform"),
                Map.of("email", "system:node:n1", "tenant", "acme"), HOUR),
                "oidc: username \"system:node:n1\" is refused: names starting with \"system:\" are reserved");
    }

    @Test
    void tokensOfIssuersNotConfiguredAreNotOidcs() {
        TokenReviewStatus status = review(provider.idToken("elsewhere", "eve", List.of("platform"), Map.of(), HOUR),
                List.of());
        assertThat(status.getAuthenticated()).isFalse();
        assertThat(status.getError()).as("left to the other token authenticators, if any")
                .satisfiesAnyOf(error -> assertThat(error).isNull(), error -> assertThat(error).doesNotContain("oidc"));
    }

    @Test
    void theAudiencesAskedAboutAreAnswered() {
        String token = provider.idToken("partner", "carol", List.of("platform"), Map.of(), HOUR);
        TokenReviewStatus status = review(token, List.of("https://kubernetes.default.svc.cluster.local"));
        assertThat(status.getAuthenticated()).isTrue();
        assertThat(status.getAudiences()).containsExactly("https://kubernetes.default.svc.cluster.local");
    }

    @Test
    void aRequestWithTheIdTokenAsBearerTokenIsMadeAsTheMappedUser() {
        String token = provider.idToken("corp", "u-1", List.of("platform"), Map.of("email", "bob@example.com",
                "tenant", "acme", "groups", List.of("dev")), HOUR);
        try (KubernetesClient bob = bearerClient(token)) {
            SelfSubjectReview review = bob.resource(new SelfSubjectReviewBuilder().withNewMetadata().endMetadata()
                    .build()).create();
            assertThat(review.getStatus().getUserInfo().getUsername()).isEqualTo("bob@example.com");
            assertThat(review.getStatus().getUserInfo().getGroups()).containsExactly("corp:dev", "system:authenticated");
        }

        String expired = provider.idTokenIssued(Duration.ofHours(2), "corp", "u-1", List.of("platform"),
                Map.of("email", "bob@example.com", "tenant", "acme"), HOUR);
        try (KubernetesClient stale = bearerClient(expired)) {
            assertThatThrownBy(() -> stale.resource(new SelfSubjectReviewBuilder().withNewMetadata().endMetadata()
                    .build()).create())
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(401));
        }
    }

    private static KubernetesClient bearerClient(String token) {
        return new KubernetesClientBuilder().withConfig(new ConfigBuilder(Config.empty())
                .withMasterUrl(server.url())
                .withCaCertFile(server.pki().caCertificate().toString())
                .withOauthToken(token)
                .withRequestRetryBackoffLimit(0)
                .build()).build();
    }

    private static void assertRefused(String token, String errorStart) {
        TokenReviewStatus status = review(token, List.of());
        assertThat(status.getAuthenticated()).isFalse();
        assertThat(status.getError()).startsWith(errorStart);
    }

    private static TokenReviewStatus review(String token, List<String> audiences) {
        TokenReview review = admin.resource(new TokenReviewBuilder()
                .withNewSpec().withToken(token).withAudiences(audiences).endSpec().build()).create();
        return review.getStatus();
    }
}
