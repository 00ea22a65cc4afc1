package io.platform.e2e.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.platform.api.testing.RunningApiServer;
import io.platform.api.testing.Kubectl;
import io.platform.server.identity.IdentityProviderApplication;
import io.platform.server.identity.LocalUsers;
import io.platform.server.login.CredentialCommand;
import io.platform.server.login.LoginCommand;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.CookieManager;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * People signing in: the built-in OIDC provider with a local user, an API server trusting it as
 * {@code platform up} configures it (user = preferred_username without prefix, groups = groups), and
 * real kubectl 1.33, once with the id_token as {@code --token}, once through the kubeconfig
 * {@code platform login} writes (exec plugin {@code platform credential} answering from its cache).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LoginKubectlTest {

    private static final Path KUBECTL = Path.of("/usr/lib/google-cloud-sdk/bin/kubectl.1.33");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String PASSWORD = "alices password";

    @TempDir
    static Path providerDir;

    @TempDir
    static Path work;

    private ConfigurableApplicationContext provider;
    private RunningApiServer server;
    private String issuer;

    @BeforeAll
    void start() {
        int port = freePort();
        issuer = IdentityProviderApplication.issuer("127.0.0.1", port);
        provider = IdentityProviderApplication.builder()
                .properties(IdentityProviderApplication.properties(providerDir, "127.0.0.1", port, issuer))
                .run();
        LocalUsers.open(providerDir).add("alice", PasswordEncoderFactories.createDelegatingPasswordEncoder().encode(PASSWORD),
                "alice@example.com", List.of("developers", "oncall"));
        String prefix = "platform.api.oidc.issuers[0].";
        server = RunningApiServer.start("node-a", Map.of(
                prefix + "issuer-url", issuer,
                prefix + "audiences[0]", "kubectl",
                prefix + "username-claim", "preferred_username",
                prefix + "username-prefix", "-",
                prefix + "groups-claim", "groups",
                prefix + "ca-file", caFile().toString()));
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
        if (provider != null) {
            provider.close();
        }
    }

    @Test
    void anIdTokenFromTheBuiltInProviderShowsTheUserAndGroupsInWhoami() throws Exception {
        String idToken = signInWithCode();

        String whoami = kubectl(work.resolve("none.kubeconfig")).ok("--server", server.url(),
                "--certificate-authority", server.pki().caCertificate().toString(), "--token", idToken,
                "auth", "whoami", "-o", "json");

        JsonNode user = JSON.readTree(whoami).path("status").path("userInfo");
        assertThat(user.path("username").asString()).isEqualTo("alice");
        assertThat(user.path("groups").toString()).contains("\"developers\"", "\"oncall\"", "\"system:authenticated\"");
    }

    @Test
    void aWrongTokenIsUnauthorized() throws Exception {
        String idToken = signInWithCode();
        String forged = idToken.substring(0, idToken.lastIndexOf('.') + 1) + "AAAA";

        var result = kubectl(work.resolve("none.kubeconfig")).run("--server", server.url(),
                "--certificate-authority", server.pki().caCertificate().toString(), "--token", forged,
                "auth", "whoami");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderr()).contains("Unauthorized");
    }

    @Test
    void theKubeconfigOfPlatformLoginSignsKubectlInThroughTheExecPlugin() throws Exception {
        Path kubeconfig = work.resolve("login.kubeconfig");
        Path cache = work.resolve("token-cache");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        CredentialCommand credential = new CredentialCommand(new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(new ByteArrayOutputStream()), Clock.systemUTC(), Optional.of(this::browserSignsIn));
        // kubectl starts the plugin as a JVM of its own: this test's class path holds PlatformMain
        List<String> plugin = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "io.platform.server.PlatformMain");

        new LoginCommand(new PrintStream(printed, true, StandardCharsets.UTF_8), credential, plugin).run(List.of(
                "--issuer", issuer, "--client-id", "kubectl", "--ca-file", caFile().toString(),
                "--kubeconfig", kubeconfig.toString(), "--server", server.url(), "--cache-dir", cache.toString(),
                "--data-dir", work.resolve("no-data-dir").toString()), Path.of("unused"));
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("as alice (groups developers, oncall)");
        // the cluster entry needs the API server's CA, which is not the provider's here
        String config = Files.readString(kubeconfig).replaceFirst("certificate-authority-data: \\S+",
                "certificate-authority-data: " + Base64.getEncoder().encodeToString(
                        Files.readAllBytes(server.pki().caCertificate())));
        Files.writeString(kubeconfig, config);

        String whoami = kubectl(kubeconfig).ok("auth", "whoami", "-o", "json");

        assertThat(JSON.readTree(whoami).path("status").path("userInfo").path("username").asString()).isEqualTo("alice");
    }

    private Kubectl kubectl(Path kubeconfig) throws IOException {
        if (!Files.exists(kubeconfig)) {
            Files.writeString(kubeconfig, "apiVersion: v1\nkind: Config\n");
        }
        return new Kubectl(KUBECTL, kubeconfig, work.resolve("kubectl-cache"));
    }

    private Path caFile() {
        return providerDir.resolve("pki").resolve("ca.crt");
    }

    /** Authorization code with PKCE, driven as a browser would: login form, then the redirect's code. */
    private String signInWithCode() throws Exception {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String verifier = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        String redirect = "http://127.0.0.1:40001/callback";
        Map<String, String> query = new LinkedHashMap<>();
        query.put("response_type", "code");
        query.put("client_id", "kubectl");
        query.put("redirect_uri", redirect);
        query.put("scope", "openid profile email groups offline_access");
        query.put("state", "e2e");
        query.put("code_challenge", challenge);
        query.put("code_challenge_method", "S256");
        URI callback = signIn(URI.create(issuer + "/oauth2/authorize?" + form(query)));
        String code = callback.getRawQuery().replaceAll(".*(?:^|&)code=([^&]+).*", "$1");
        HttpResponse<String> token = browser().send(HttpRequest.newBuilder(URI.create(issuer + "/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(Map.of("grant_type", "authorization_code",
                        "code", java.net.URLDecoder.decode(code, StandardCharsets.UTF_8), "redirect_uri", redirect,
                        "client_id", "kubectl", "code_verifier", verifier)))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
        return JSON.readTree(token.body()).path("id_token").asString();
    }

    /** The browser of the exec plugin's loopback sign-in: signs in, then calls the plugin's callback. */
    private void browserSignsIn(URI authorize) {
        try {
            URI callback = signIn(authorize);
            CompletableFuture.runAsync(() -> {
                try {
                    HttpClient.newHttpClient().send(HttpRequest.newBuilder(callback).GET().build(),
                            HttpResponse.BodyHandlers.discarding());
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private URI signIn(URI start) throws Exception {
        HttpClient browser = browser();
        HttpResponse<String> response = get(browser, start);
        for (int hop = 0; hop < 10; hop++) {
            if (response.statusCode() == 302) {
                URI next = response.uri().resolve(response.headers().firstValue("Location").orElseThrow());
                if (!next.getAuthority().equals(start.getAuthority())) {
                    return next;
                }
                response = get(browser, next);
            } else if (response.body().contains("name=\"password\"")) {
                Matcher csrf = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"").matcher(response.body());
                Map<String, String> login = new LinkedHashMap<>(Map.of("username", "alice", "password", PASSWORD));
                if (csrf.find()) {
                    login.put("_csrf", csrf.group(1));
                }
                response = browser.send(HttpRequest.newBuilder(response.uri().resolve("/login")).header("Accept", "text/html")
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form(login))).build(), HttpResponse.BodyHandlers.ofString());
            } else {
                throw new AssertionError("unexpected page " + response.statusCode() + ": " + response.body());
            }
        }
        throw new AssertionError("too many redirects from " + start);
    }

    private static HttpResponse<String> get(HttpClient browser, URI uri) throws Exception {
        return browser.send(HttpRequest.newBuilder(uri).header("Accept", "text/html").GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpClient browser() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(caFile()))));
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, factory.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(ssl).cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    private static String form(Map<String, String> values) {
        return values.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
