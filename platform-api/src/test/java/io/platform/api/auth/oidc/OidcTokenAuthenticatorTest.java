package io.platform.api.auth.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.platform.api.auth.AuthenticatedUser;
import io.platform.api.auth.TokenResult;
import io.platform.api.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The OIDC authenticator against a real provider: discovery, keys, token checks and claim mapping. */
class OidcTokenAuthenticatorTest {

    private static final Duration HOUR = Duration.ofHours(1);

    @TempDir
    static Path dir;

    private static OidcTestProvider provider;

    private final MutableClock clock = new MutableClock(Instant.now());

    @BeforeAll
    static void startProvider() {
        provider = OidcTestProvider.start(dir);
    }

    @AfterAll
    static void stopProvider() {
        provider.close();
    }

    @Test
    void aTokenFromTheProviderIsTheUserAndGroupsItsClaimsName() {
        OidcTokenAuthenticator authenticator = authenticator(issuer("corp", List.of("platform"), "sub", null,
                "groups", "oidc:", Map.of()));
        String token = provider.idToken("corp", "alice", List.of("platform"),
                Map.of("groups", List.of("dev", "ops")), HOUR);

        TokenResult result = authenticate(authenticator, token, List.of("https://kubernetes.default.svc"));

        assertThat(result.error()).isNull();
        assertThat(result.user()).isEqualTo(new AuthenticatedUser(provider.issuerUrl("corp") + "#alice",
                List.of("oidc:dev", "oidc:ops")));
        assertThat(result.audiences()).containsExactly("https://kubernetes.default.svc");
    }

    @Test
    void emailUserNamesHaveNoPrefixByDefaultAndMustBeVerified() {
        OidcTokenAuthenticator authenticator = authenticator(issuer("mail", List.of("platform"), "email", null,
                "groups", "", Map.of()));
        String verified = provider.idToken("mail", "u1", List.of("platform"),
                Map.of("email", "bob@example.com", "email_verified", true, "groups", "admins"), HOUR);
        assertThat(authenticate(authenticator, verified, List.of()).user())
                .isEqualTo(new AuthenticatedUser("bob@example.com", List.of("admins")));

        String unverified = provider.idToken("mail", "u1", List.of("platform"),
                Map.of("email", "bob@example.com", "email_verified", false), HOUR);
        assertRejected(authenticate(authenticator, unverified, List.of()), "oidc: email not verified");

        String noEmail = provider.idToken("mail", "u1", List.of("platform"), Map.of(), HOUR);
        assertRejected(authenticate(authenticator, noEmail, List.of()),
                "oidc: parse username claims \"email\": claim not present");
    }

    @Test
    void tokensForAnotherAudienceAreRejected() {
        OidcTokenAuthenticator authenticator = authenticator(issuer("aud", List.of("platform", "console"), "sub", "-",
                null, "", Map.of()));
        String other = provider.idToken("aud", "alice", List.of("grafana"), Map.of(), HOUR);
        assertRejected(authenticate(authenticator, other, List.of()),
                "oidc: verify token: expected audience [\"platform\", \"console\"] got [\"grafana\"]");

        assertThat(authenticate(authenticator, provider.idToken("aud", "alice", List.of("console"), Map.of(), HOUR),
                List.of()).user()).isEqualTo(new AuthenticatedUser("alice", List.of()));

        // the provider names the first audience as the authorized party (azp)
        String severalForGrafana = provider.idToken("aud", "alice", List.of("grafana", "platform"), Map.of(), HOUR);
        assertRejected(authenticate(authenticator, severalForGrafana, List.of()),
                "oidc: verify token: expected azp [\"platform\", \"console\"] got \"grafana\"");
        String severalForUs = provider.idToken("aud", "alice", List.of("platform", "grafana"),
                Map.of("azp", "platform"), HOUR);
        assertThat(authenticate(authenticator, severalForUs, List.of()).isAuthenticated()).isTrue();
    }

    @Test
    void expiredAndNotYetValidTokensAreRejectedByTheInjectedClock() {
        OidcTokenAuthenticator authenticator = authenticator(issuer("time", List.of("platform"), "sub", "-", null, "",
                Map.of()));
        String token = provider.idToken("time", "alice", List.of("platform"), Map.of(), Duration.ofMinutes(5));
        assertThat(authenticate(authenticator, token, List.of()).isAuthenticated()).isTrue();

        clock.advance(Duration.ofMinutes(5).plusSeconds(30));
        assertThat(authenticate(authenticator, token, List.of()).isAuthenticated())
                .as("within the clock skew").isTrue();
        clock.advance(Duration.ofMinutes(1));
        assertThat(authenticate(authenticator, token, List.of()).error())
                .startsWith("oidc: verify token: Jwt expired at ");

        String notYet = provider.idToken("time", "alice", List.of("platform"),
                Map.of("nbf", clock.instant().plus(Duration.ofMinutes(30)).getEpochSecond()), HOUR);
        assertThat(authenticate(authenticator, notYet, List.of()).error())
                .startsWith("oidc: verify token: Jwt used before ");
    }

    @Test
    void tokensOfOtherIssuersAndOtherKindsAreNotRecognised() {
        OidcTokenAuthenticator authenticator = authenticator(issuer("mine", List.of("platform"), "sub", "-", null, "",
                Map.of()));
        String otherIssuer = provider.idToken("theirs", "alice", List.of("platform"), Map.of(), HOUR);
        assertThat(authenticate(authenticator, otherIssuer, List.of())).isEqualTo(TokenResult.notRecognised());
        assertThat(authenticate(authenticator, "abcdef.0123456789abcdef", List.of()))
                .isEqualTo(TokenResult.notRecognised());
        assertThat(authenticate(authenticator, "not-a-jwt", List.of())).isEqualTo(TokenResult.notRecognised());
    }

    @Test
    void tamperedTokensFailTheSignatureCheck() {
        OidcTokenAuthenticator authenticator = authenticator(issuer("sig", List.of("platform"), "sub", "-", null, "",
                Map.of()));
        String token = provider.idToken("sig", "alice", List.of("platform"), Map.of(), HOUR);
        String[] parts = token.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1])).replace("\"alice\"", "\"admin\"");
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes())
                + "." + parts[2];

        TokenResult result = authenticate(authenticator, tampered, List.of());

        assertThat(result.isAuthenticated()).isFalse();
        assertThat(result.error()).startsWith("oidc: verify token: ").contains("Invalid signature");
    }

    @Test
    void requiredClaimsMustBePresentWithTheirValue() {
        OidcTokenAuthenticator authenticator = authenticator(issuer("req", List.of("platform"), "sub", "-", null, "",
                Map.of("hd", "example.com")));
        assertRejected(authenticate(authenticator, provider.idToken("req", "alice", List.of("platform"), Map.of(),
                HOUR), List.of()), "oidc: required claim hd not present in ID token");
        assertRejected(authenticate(authenticator, provider.idToken("req", "alice", List.of("platform"),
                Map.of("hd", "evil.com"), HOUR), List.of()),
                "oidc: required claim hd value does not match. Got = evil.com, want = example.com");
        assertThat(authenticate(authenticator, provider.idToken("req", "alice", List.of("platform"),
                Map.of("hd", "example.com"), HOUR), List.of()).isAuthenticated()).isTrue();
    }

    @Test
    void systemNamesFromAnOutsideIssuerAreRefused() {
        OidcTokenAuthenticator authenticator = authenticator(issuer("sys", List.of("platform"), "sub", "-", "groups",
                "", Map.of()));
        assertRejected(authenticate(authenticator, provider.idToken("sys", "system:kube-scheduler",
                List.of("platform"), Map.of(), HOUR), List.of()), "oidc: username \"system:kube-scheduler\" is"
                + " refused: names starting with \"system:\" are reserved for the platform's own identities");
        assertRejected(authenticate(authenticator, provider.idToken("sys", "mallory", List.of("platform"),
                Map.of("groups", List.of("dev", "system:masters")), HOUR), List.of()), "oidc: group"
                + " \"system:masters\" is refused: names starting with \"system:\" are reserved for the platform's own"
                + " identities");

        OidcTokenAuthenticator prefixed = authenticator(issuer("sys", List.of("platform"), "sub", "corp:", "groups",
                "corp:", Map.of()));
        assertThat(authenticate(prefixed, provider.idToken("sys", "system:kube-scheduler", List.of("platform"),
                Map.of("groups", "system:masters"), HOUR), List.of()).user())
                .isEqualTo(new AuthenticatedUser("corp:system:kube-scheduler", List.of("corp:system:masters")));
    }

    @Test
    void aRotatedSigningKeyIsFetchedWhenATokenNamesIt() {
        OidcTokenAuthenticator authenticator = authenticator(issuer("rotating", List.of("platform"), "sub", "-", null,
                "", Map.of()));
        String before = provider.idToken("rotating", "alice", List.of("platform"), Map.of(), HOUR);
        assertThat(authenticate(authenticator, before, List.of()).isAuthenticated()).isTrue();

        provider.rotateKeys("rotating");
        String after = provider.idToken("rotating", "alice", List.of("platform"), Map.of(), HOUR);

        assertThat(OidcTestProvider.keyId(after)).isNotEqualTo(OidcTestProvider.keyId(before));
        assertThat(authenticate(authenticator, after, List.of()).user())
                .isEqualTo(new AuthenticatedUser("alice", List.of()));
        assertThat(authenticate(authenticator, before, List.of()).error())
                .as("the provider no longer publishes the old key")
                .startsWith("oidc: verify token: ");
    }

    @Test
    void anIssuerUnreachableAtFirstIsDiscoveredOnALaterToken(@TempDir Path own) {
        try (OidcTestProvider late = OidcTestProvider.start(own)) {
            OidcProperties.Issuer config = new OidcProperties.Issuer(late.issuerUrl("late"), List.of("platform"), "sub",
                    "-", null, "", Map.of(), late.caFile());
            String token = late.idToken("late", "alice", List.of("platform"), Map.of(), HOUR);
            late.pause();
            OidcTokenAuthenticator authenticator = authenticator(config);

            TokenResult unreachable = authenticate(authenticator, token, List.of());
            assertThat(unreachable.isAuthenticated()).isFalse();
            assertThat(unreachable.error()).startsWith("oidc: verify token: ").contains(
                    "Unable to resolve the Configuration with the provided Issuer of \"" + late.issuerUrl("late") + "\"");

            late.resume();
            assertThat(authenticate(authenticator, token, List.of()).error()).isNull();
            assertThat(authenticate(authenticator, token, List.of()).user())
                    .isEqualTo(new AuthenticatedUser("alice", List.of()));
        }
    }

    @Test
    void configurationIsCheckedAsKubeApiserverChecksItsFlags() {
        assertThatThrownBy(() -> properties(new OidcProperties.Issuer("http://127.0.0.1:1/x", List.of("p"), "sub",
                null, null, "", Map.of(), null)))
                .hasMessage("platform.api.oidc.issuers[0].issuer-url must be an https URL, got http://127.0.0.1:1/x");
        assertThatThrownBy(() -> properties(new OidcProperties.Issuer("https://idp.example", List.of(), "sub",
                null, null, "", Map.of(), null)))
                .hasMessage("platform.api.oidc.issuers[0].audiences must list at least one client id, got []");
        assertThatThrownBy(() -> properties(new OidcProperties.Issuer("https://idp.example", List.of("p"), "sub",
                null, null, "g:", Map.of(), null)))
                .hasMessage("platform.api.oidc.issuers[0].groups-prefix needs groups-claim");
        assertThatThrownBy(() -> properties(new OidcProperties.Issuer(null, List.of("p"), "sub",
                null, null, "", Map.of(), null)))
                .hasMessage("platform.api.oidc.issuers[0].issuer-url is required");
        OidcProperties.Issuer one = new OidcProperties.Issuer("https://idp.example", List.of("p"), "sub", null, null,
                "", Map.of(), null);
        assertThatThrownBy(() -> new OidcProperties(List.of(one, one), Duration.ZERO, Duration.ofSeconds(1)))
                .hasMessage("platform.api.oidc.issuers[1].issuer-url: duplicate issuer https://idp.example");
        assertThat(one.effectiveUsernamePrefix()).isEqualTo("https://idp.example#");
    }

    private static void assertRejected(TokenResult result, String error) {
        assertThat(result.isAuthenticated()).isFalse();
        assertThat(result.error()).isEqualTo(error);
    }

    private static TokenResult authenticate(OidcTokenAuthenticator authenticator, String token, List<String> audiences) {
        TokenResult result = authenticator.authenticate(token, audiences).block(Duration.ofSeconds(20));
        assertThat(result).isNotNull();
        return result;
    }

    private static OidcProperties.Issuer issuer(String issuerId, List<String> audiences, String usernameClaim,
            @Nullable String usernamePrefix, @Nullable String groupsClaim, String groupsPrefix,
            Map<String, String> requiredClaims) {
        return new OidcProperties.Issuer(provider.issuerUrl(issuerId), audiences, usernameClaim, usernamePrefix,
                groupsClaim, groupsPrefix, requiredClaims, provider.caFile());
    }

    private static OidcProperties properties(OidcProperties.Issuer issuer) {
        return new OidcProperties(List.of(issuer), Duration.ofMinutes(1), Duration.ofSeconds(10));
    }

    private OidcTokenAuthenticator authenticator(OidcProperties.Issuer issuer) {
        OidcProperties properties = properties(issuer);
        return new OidcTokenAuthenticator(properties.issuers().stream()
                .map(i -> new OidcIssuer(i, clock, properties.clockSkew(), properties.discoveryTimeout()))
                .toList());
    }
}
