package io.platform.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.platform.agent.bootstrap.KubeconfigFiles;
import io.platform.api.pki.ClusterPki;
import io.platform.common.client.KubeconfigClients;
import io.platform.common.pki.PemFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node joined from another data dir stays part of the cluster through {@code certs rotate-ca} and
 * {@code rotate-ca --finish} run while everything runs: it follows the bundle published in cluster-info, so the API
 * server's calls with its node-client certificate of the new CA verify, it requests certificates of the new CA, and
 * after the finish it still reaches the API server (its Lease advances). The finish drops the old CA only once the
 * API server serves the new certificate, so a client reading the new kubeconfig right after it connects.
 */
class JoinedNodeCaRotationTest {

    private static final String NODE = "rotating-node";
    private static final Pattern JOIN_LINE = Pattern.compile(
            "platform join --server (https://\\S+) --token ([a-z0-9]{6}\\.[a-z0-9]{16}) "
                    + "--discovery-token-ca-cert-hash (sha256:[0-9a-f]{64})");
    /** The API server reloads its certificates only every 4 s: the finish must wait for it. */
    private static final Map<String, String> SETTINGS = Map.of(
            "platform.api.tls.reload-interval", "4s",
            "platform.agent.trust.sync-interval", "500ms",
            "platform.agent.api.certificate-reload-interval", "300ms",
            "platform.agent.lease-interval", "1s");

    @TempDir
    static Path controlPlaneDir;
    @TempDir
    static Path nodeDir;

    private static RunningPlatform platform;
    private static KubernetesClient admin;
    private static JoinCommand.JoinedNode joined;
    private static int agentPort;

    @BeforeAll
    static void startControlPlaneAndJoin() throws Exception {
        SETTINGS.forEach(System::setProperty);
        UpOptions options = UpOptions.parse(List.of("--data-dir", controlPlaneDir.toString(), "--api-port",
                Integer.toString(FreePorts.next()), "--components", "api,controllers", "--node-name", "control-plane"));
        platform = new PlatformMain(new PrintStream(new ByteArrayOutputStream(), true, UTF_8)).up(options);
        admin = KubeconfigClients.fromFile(platform.pki().adminKubeconfig());
        agentPort = FreePorts.next();
        Matcher join = JOIN_LINE.matcher(token("create").lines().toList().get(1));
        assertThat(join.matches()).isTrue();
        joined = new JoinCommand(new PrintStream(new ByteArrayOutputStream(), true, UTF_8), Clock.systemUTC())
                .start(JoinCommand.Options.parse(List.of("--server", join.group(1), "--token", join.group(2),
                        "--discovery-token-ca-cert-hash", join.group(3), "--node-name", NODE, "--data-dir",
                        nodeDir.toString(), "--agent-port", Integer.toString(agentPort), "--address", "127.0.0.1",
                        "--discovery-timeout", "20s")));
        admin.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("on-rotating-node")
                .endMetadata().withNewSpec().withNodeName(NODE).addNewContainer().withName("app")
                .withImage("busybox:1.35").endContainer().endSpec().build()).create();
        awaitAgentReachable();
    }

    @AfterAll
    static void stop() {
        if (joined != null) {
            joined.close();
        }
        if (admin != null) {
            admin.close();
        }
        if (platform != null) {
            platform.close();
        }
        SETTINGS.keySet().forEach(System::clearProperty);
    }

    @Test
    void aJoinedNodeFollowsTheCaRotationAndTheFinishWaitsForTheNewServingCertificates() throws Exception {
        X509Certificate oldCa = clusterCa();

        String rotated = certs("rotate-ca", "--wait-timeout", "60s");

        assertThat(rotated).contains("Published pki/ca-bundle.crt in kube-public/cluster-info");
        X509Certificate newCa = clusterCa();
        assertThat(newCa.getSerialNumber()).isNotEqualTo(oldCa.getSerialNumber());
        // the node takes over old + new CA: the API server's new node-client certificate verifies at the agent
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                PemFiles.parseCertificates(PemFiles.read(nodeDir.resolve("pki/ca.crt")), "ca.crt"))
                .containsExactlyInAnyOrder(oldCa, newCa));
        assertThat(KubeconfigFiles.certificateAuthorities(KubeconfigFiles.read(nodeKubeconfig()), nodeKubeconfig()))
                .containsExactlyInAnyOrder(oldCa, newCa);
        awaitAgentReachable();
        // and it asked for certificates of the new CA
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            clientCertificate().verify(newCa.getPublicKey());
            servingCertificate().verify(newCa.getPublicKey());
        });

        String finished = certs("rotate-ca", "--finish", "--wait-timeout", "60s");

        assertThat(finished).contains("Waiting (up to 60s) until the API server and the node agents serve");
        // the old CA was dropped only after the API server served the new certificate: a client of the new
        // kubeconfig (trusting only the new CA) connects at once
        try (KubernetesClient fresh = KubeconfigClients.fromFile(platform.pki().adminKubeconfig(),
                config -> config.setRequestRetryBackoffLimit(0))) {
            assertThat(fresh.namespaces().withName("default").get()).isNotNull();
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                PemFiles.parseCertificates(PemFiles.read(nodeDir.resolve("pki/ca.crt")), "ca.crt"))
                .containsExactly(newCa));
        awaitAgentReachable();
        String renewedAt = lease();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(lease()).isNotEqualTo(renewedAt));
        assertThat(joined.agent().isActive()).isTrue();
    }

    /** The API server reaches the agent: its own healthz call and a pod log request answered by the agent. */
    private static void awaitAgentReachable() {
        await().atMost(Duration.ofSeconds(30)).ignoreExceptionsInstanceOf(IOException.class)
                .untilAsserted(() -> assertThat(agentHealthz().statusCode()).isEqualTo(200));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThatThrownBy(
                () -> admin.pods().inNamespace("default").withName("on-rotating-node").getLog())
                .isInstanceOf(KubernetesClientException.class)
                .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isNotEqualTo(503))
                .hasMessageNotContaining("cannot reach the node agent")
                .hasMessageContaining("/containerLogs/default/on-rotating-node/app"));
    }

    private static String lease() {
        return admin.resources(Lease.class).inNamespace("kube-node-lease").withName(NODE).get().getSpec()
                .getRenewTime().toString();
    }

    private static String certs(String... args) {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        List<String> arguments = new ArrayList<>(List.of(args));
        arguments.addAll(List.of("--data-dir", controlPlaneDir.toString()));
        int code = new CertsCommand(new PrintStream(printed, true, UTF_8), Clock.systemUTC())
                .run(CertsCommand.Options.parse(arguments));
        assertThat(code).isEqualTo(PlatformMain.OK);
        return printed.toString(UTF_8);
    }

    private static String token(String... args) {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        List<String> arguments = new ArrayList<>(List.of(args));
        arguments.addAll(List.of("--data-dir", controlPlaneDir.toString()));
        int code = new TokenCommand(new PrintStream(printed, true, UTF_8), Clock.systemUTC(), new SecureRandom())
                .run(TokenCommand.Options.parse(arguments));
        assertThat(code).isEqualTo(PlatformMain.OK);
        return printed.toString(UTF_8);
    }

    private static Path nodeKubeconfig() {
        return nodeDir.resolve("node-agent-" + NODE + ".kubeconfig");
    }

    private static X509Certificate clusterCa() {
        return PemFiles.parseCertificate(PemFiles.read(platform.pki().caCertificate()), "ca.crt");
    }

    private static X509Certificate clientCertificate() {
        return KubeconfigFiles.clientCertificate(KubeconfigFiles.read(nodeKubeconfig())).orElseThrow();
    }

    private static X509Certificate servingCertificate() {
        Path file = nodeDir.resolve("pki/node-agent-" + NODE + ".crt");
        return PemFiles.parseCertificate(PemFiles.read(file), file.toString());
    }

    /** GET /healthz on the agent as the API server calls it: its current node-client certificate, the current bundle. */
    private static HttpResponse<String> agentHealthz() throws IOException, InterruptedException, GeneralSecurityException {
        ClusterPki pki = platform.pki();
        PrivateKey key = PemFiles.parsePrivateKey(PemFiles.read(pki.apiServerNodeClientKey()), "node client key");
        X509Certificate certificate = PemFiles.parseCertificate(PemFiles.read(pki.apiServerNodeClientCertificate()),
                "node client certificate");
        char[] password = "test".toCharArray();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("client", key, password, new Certificate[] {certificate});
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, password);
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        List<X509Certificate> bundle = PemFiles.parseCertificates(PemFiles.read(pki.caBundle()), "ca-bundle.crt");
        for (int i = 0; i < bundle.size(); i++) {
            trusted.setCertificateEntry("ca-" + i, bundle.get(i));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keyManagers.getKeyManagers(), trust.getTrustManagers(), new SecureRandom());
        try (HttpClient http = HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build()) {
            return http.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + agentPort + "/healthz"))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
        }
    }
}
