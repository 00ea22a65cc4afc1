package io.platform.server.login;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.platform.server.identity.RunningIdentityProvider;
import io.platform.server.identity.TestBrowser;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code platform credential} against the real built-in provider: sign-in, cache, refresh, device flow. */
class CredentialCommandTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path dataDir;

    @TempDir
    Path cacheDir;

    private static RunningIdentityProvider provider;

    @BeforeAll
    static void start() {
        provider = RunningIdentityProvider.start(dataDir);
        provider.addUser("carol", "carols password", List.of("ops", "readers"));
    }

    @AfterAll
    static void stop() {
        if (provider != null) {
            provider.close();
        }
    }

    @Test
    void signsInThroughTheBrowserThenAnswersFromTheCache() {
        AtomicInteger signIns = new AtomicInteger();
        JsonNode first = credential(Clock.systemUTC(), Optional.of(CredentialCommandTestBrowsers.signingIn(provider, "carol", "carols password", signIns)));

        assertThat(first.get("apiVersion").asString()).isEqualTo("client.authentication.k8s.io/v1");
        assertThat(first.get("kind").asString()).isEqualTo("ExecCredential");
        Tokens tokens = new Tokens(first.at("/status/token").asString(), null);
        assertThat(tokens.claims().get("preferred_username").asString()).isEqualTo("carol");
        assertThat(tokens.claims().get("groups").toString()).isEqualTo("[\"ops\",\"readers\"]");
        assertThat(Instant.parse(first.at("/status/expirationTimestamp").asString())).isEqualTo(tokens.expiry());
        assertThat(signIns).hasValue(1);

        JsonNode second = credential(Clock.systemUTC(), Optional.of(uri -> {
            throw new AssertionError("no sign-in expected while the cached token is valid");
        }));
        assertThat(second.at("/status/token").asString()).isEqualTo(first.at("/status/token").asString());
    }

    @Test
    void refreshesAnExpiredTokenWithoutASignIn() throws Exception {
        JsonNode first = credential(Clock.systemUTC(), Optional.of(CredentialCommandTestBrowsers.signingIn(provider, "carol", "carols password", new AtomicInteger())));
        String cachedRefresh = cachedRefreshToken();
        // An hour later the cached id_token (15 minutes) has expired.
        Clock later = Clock.fixed(Instant.now().plus(Duration.ofHours(1)), ZoneOffset.UTC);

        JsonNode renewed = credential(later, Optional.of(uri -> {
            throw new AssertionError("the refresh token should have renewed the id_token");
        }));

        assertThat(renewed.at("/status/token").asString()).isNotEqualTo(first.at("/status/token").asString());
        assertThat(new Tokens(renewed.at("/status/token").asString(), null).claims().get("preferred_username").asString())
                .isEqualTo("carol");
        assertThat(cachedRefreshToken()).isNotEqualTo(cachedRefresh);
    }

    @Test
    void signsInAgainWhenTheRefreshIsRefused() throws Exception {
        provider.addUser("dave", "daves password", List.of("ops"));
        credential(Clock.systemUTC(), Optional.of(CredentialCommandTestBrowsers.signingIn(provider, "dave", "daves password", new AtomicInteger())));
        // a removed user's refresh is refused; the next person signs in on this machine
        provider.removeUser("dave");
        Clock later = Clock.fixed(Instant.now().plus(Duration.ofHours(1)), ZoneOffset.UTC);
        AtomicInteger signIns = new AtomicInteger();

        JsonNode again = credential(later, Optional.of(CredentialCommandTestBrowsers.signingIn(provider, "carol", "carols password", signIns)));

        assertThat(signIns).hasValue(1);
        assertThat(new Tokens(again.at("/status/token").asString(), null).claims().get("preferred_username").asString())
                .isEqualTo("carol");
    }

    @Test
    void theDeviceFlowPrintsACodeAndWaitsForTheApproval() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CredentialCommand command = new CredentialCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Clock.systemUTC(), Optional.empty());
        CompletableFuture<Integer> running = CompletableFuture.supplyAsync(() -> command.run(args()));

        Pattern complete = Pattern.compile("\\(or open (\\S+)\\)");
        String url = await().atMost(Duration.ofSeconds(20)).until(() -> {
            Matcher matcher = complete.matcher(err.toString(StandardCharsets.UTF_8));
            return matcher.find() ? matcher.group(1) : null;
        }, found -> found != null);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("enter the code");
        HttpResponse<String> approved = new TestBrowser(provider.caFile()).signIn(URI.create(url), "carol", "carols password");
        assertThat(approved.statusCode()).isEqualTo(200);

        assertThat(running.get(30, TimeUnit.SECONDS)).isZero();
        JsonNode credential = JSON.readTree(out.toString(StandardCharsets.UTF_8));
        assertThat(new Tokens(credential.at("/status/token").asString(), null).claims().get("preferred_username").asString())
                .isEqualTo("carol");
    }

    @Test
    void aWrongIssuerCertificateIsNotTrusted() {
        CredentialCommand command = new CredentialCommand(new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(new ByteArrayOutputStream()), Clock.systemUTC(), Optional.of(uri -> { }));

        // without --ca-file the JDK's roots apply, which never signed the cluster CA's certificates
        assertThatThrownBy(() -> command.run(List.of("--issuer", provider.issuer(), "--client-id", "kubectl",
                "--cache-dir", cacheDir.toString())))
                .hasMessageContaining("cannot reach");
    }

    private JsonNode credential(Clock clock, Optional<Consumer<URI>> browser) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CredentialCommand command = new CredentialCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), clock, browser);
        assertThat(command.run(args())).isZero();
        return JSON.readTree(out.toString(StandardCharsets.UTF_8));
    }

    private List<String> args() {
        return List.of("--issuer", provider.issuer(), "--client-id", "kubectl", "--ca-file", provider.caFile().toString(),
                "--cache-dir", cacheDir.toString());
    }

    private String cachedRefreshToken() throws Exception {
        Path file = new TokenCache(cacheDir).file(provider.issuer(), "kubectl");
        return JSON.readTree(java.nio.file.Files.readString(file)).get("refresh_token").asString();
    }
}
