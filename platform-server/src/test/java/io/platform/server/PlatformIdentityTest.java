package io.platform.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

/** {@code up} with the built-in OIDC provider: started before the API server, trusted by it, stopped with it. */
class PlatformIdentityTest {

    @TempDir
    Path dataDir;

    @Test
    void theProviderStartsWithTheApiServerWhichTrustsItAndStopsWithIt() throws Exception {
        int apiPort = FreePorts.next();
        int identityPort = FreePorts.next();
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        UpOptions options = UpOptions.parse(List.of("--data-dir", dataDir.toString(), "--api-port",
                Integer.toString(apiPort), "--components", "api", "--identity", "--identity-port",
                Integer.toString(identityPort), "--node-name", "test-node"));
        String issuer = "https://127.0.0.1:" + identityPort;

        try (RunningPlatform platform = new PlatformMain(new PrintStream(printed, true, StandardCharsets.UTF_8))
                .up(options)) {
            HttpResponse<String> discovery = trustingTheClusterCa().send(HttpRequest.newBuilder(
                    URI.create(issuer + "/.well-known/openid-configuration")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(discovery.statusCode()).isEqualTo(200);
            assertThat(discovery.body()).contains("\"issuer\":\"" + issuer + "\"");
            ConfigurableApplicationContext api = platform.context(Component.API).orElseThrow();
            Environment environment = api.getEnvironment();
            assertThat(environment.getProperty("platform.api.oidc.issuers[0].issuer-url")).isEqualTo(issuer);
            assertThat(environment.getProperty("platform.api.oidc.issuers[0].audiences[0]")).isEqualTo("kubectl");
            assertThat(environment.getProperty("platform.api.oidc.issuers[0].username-claim")).isEqualTo("preferred_username");
            assertThat(environment.getProperty("platform.api.oidc.issuers[0].username-prefix")).isEqualTo("-");
            assertThat(environment.getProperty("platform.api.oidc.issuers[0].groups-claim")).isEqualTo("groups");
            assertThat(environment.getProperty("platform.api.oidc.issuers[0].ca-file"))
                    .isEqualTo(dataDir.toAbsolutePath().resolve("pki/ca.crt").toString());
            assertThat(dataDir.resolve("identity-issuer")).content().isEqualToIgnoringNewLines(issuer);
            assertThat(printed.toString(StandardCharsets.UTF_8)).contains("sign-in:     " + issuer,
                    "platform users add NAME", "platform login");
        }
        assertThat(FreePorts.free(identityPort)).as("provider stopped with the API server").isTrue();
    }

    @Test
    void theProviderIsLeftOutOfAComponentSelectionUnlessAskedFor() {
        assertThat(UpOptions.parse(List.of()).identity()).isTrue();
        assertThat(UpOptions.parse(List.of()).identityPort()).isEqualTo(6444);
        assertThat(UpOptions.parse(List.of()).identityIssuer()).isEqualTo("https://127.0.0.1:6444");
        assertThat(UpOptions.parse(List.of("--no-identity")).identity()).isFalse();
        assertThat(UpOptions.parse(List.of("--components", "api")).identity()).isFalse();
        assertThat(UpOptions.parse(List.of("--components", "api", "--identity")).identity()).isTrue();
        assertThat(UpOptions.parse(List.of("--bind-address", "0.0.0.0", "--identity-port", "7000")).identityIssuer())
                .isEqualTo("https://127.0.0.1:7000");
    }

    @Test
    void usersAreManagedFromTheCommandLine() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PlatformMain main = new PlatformMain(new PrintStream(printed, true, StandardCharsets.UTF_8));
        String dir = dataDir.toString();

        assertThat(main.run(List.of("users", "add", "alice", "--group", "devs", "--group=ops", "--email",
                "alice@example.com", "--data-dir", dir))).isEqualTo(PlatformMain.OK);
        assertThat(printed.toString(StandardCharsets.UTF_8)).containsPattern("password: [A-Za-z0-9]{20}");
        assertThat(main.run(List.of("users", "add", "alice", "--data-dir", dir))).isEqualTo(PlatformMain.USAGE);
        assertThat(main.run(List.of("users", "add", "mallory", "--group", "system:masters", "--data-dir", dir)))
                .isEqualTo(PlatformMain.USAGE);
        assertThat(main.run(List.of("users", "add", "bad name", "--data-dir", dir))).isEqualTo(PlatformMain.USAGE);
        assertThat(main.run(List.of("users", "passwd", "nobody", "--data-dir", dir))).isEqualTo(PlatformMain.USAGE);
        assertThat(main.run(List.of("users", "frobnicate", "--data-dir", dir))).isEqualTo(PlatformMain.USAGE);

        printed.reset();
        assertThat(main.run(List.of("users", "list", "--data-dir", dir))).isEqualTo(PlatformMain.OK);
        assertThat(printed.toString(StandardCharsets.UTF_8).lines().toList())
                .containsExactly("NAME   GROUPS    EMAIL", "alice  devs,ops  alice@example.com");

        assertThat(main.run(List.of("users", "passwd", "alice", "--data-dir", dir))).isEqualTo(PlatformMain.OK);
        assertThat(main.run(List.of("users", "remove", "alice", "--data-dir", dir))).isEqualTo(PlatformMain.OK);
        assertThat(main.run(List.of("users", "remove", "alice", "--data-dir", dir))).isEqualTo(PlatformMain.USAGE);
    }

    private HttpClient trustingTheClusterCa() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(
                new ByteArrayInputStream(Files.readAllBytes(dataDir.resolve("pki/ca.crt")))));
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, factory.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(ssl).build();
    }
}
