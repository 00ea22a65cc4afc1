package io.platform.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.jspecify.annotations.Nullable;

/**
 * What the node-join tests share: a control plane started as {@code platform up --components api,controllers} in one
 * data dir, the {@code platform token}, {@code certs} and {@code join} commands run against it, and the files and
 * the HTTPS API of a node agent joined from another data dir. Settings are system properties for the test's life.
 */
final class JoinTestCluster implements AutoCloseable {

    /** The join command line {@code platform token create} prints: server, token and CA hash. */
    static final Pattern JOIN_LINE = Pattern.compile(
            "platform join --server (https://\\S+) --token ([a-z0-9]{6}\\.[a-z0-9]{16}) "
                    + "--discovery-token-ca-cert-hash (sha256:[0-9a-f]{64})");

    private final Path controlPlaneDir;
    private final Path nodeDir;
    private final String node;
    private final Map<String, String> settings;
    private final RunningPlatform platform;
    private final KubernetesClient admin;
    private final int agentPort = FreePorts.next();
    private JoinCommand.@Nullable JoinedNode joined;

    private JoinTestCluster(Path controlPlaneDir, Path nodeDir, String node, Map<String, String> settings,
            RunningPlatform platform) {
        this.controlPlaneDir = controlPlaneDir;
        this.nodeDir = nodeDir;
        this.node = node;
        this.settings = settings;
        this.platform = platform;
        this.admin = KubeconfigClients.fromFile(platform.pki().adminKubeconfig());
    }

    static JoinTestCluster start(Path controlPlaneDir, Path nodeDir, String node, Map<String, String> given) {
        Map<String, String> settings = new HashMap<>(given);
        // the Docker runtime, NotReady without an engine: the process runtime would run pods on this very host
        settings.putIfAbsent("platform.agent.runtime", "docker");
        settings.forEach(System::setProperty);
        UpOptions options = UpOptions.parse(List.of("--data-dir", controlPlaneDir.toString(), "--api-port",
                Integer.toString(FreePorts.next()), "--components", "api,controllers", "--node-name", "control-plane"));
        return new JoinTestCluster(controlPlaneDir, nodeDir, node, settings,
                new PlatformMain(new PrintStream(new ByteArrayOutputStream(), true, UTF_8)).up(options));
    }

    RunningPlatform platform() {
        return platform;
    }

    KubernetesClient admin() {
        return admin;
    }

    /** Starts the node agent of {@code node} in the node's data dir, joining {@code server} with these arguments. */
    JoinCommand.JoinedNode join(String server, String... credentials) throws InterruptedException {
        List<String> args = new ArrayList<>(List.of("--server", server, "--node-name", node, "--data-dir",
                nodeDir.toString(), "--agent-port", Integer.toString(agentPort), "--address", "127.0.0.1",
                "--discovery-timeout", "20s"));
        args.addAll(List.of(credentials));
        joined = new JoinCommand(new PrintStream(new ByteArrayOutputStream(), true, UTF_8), Clock.systemUTC())
                .start(JoinCommand.Options.parse(args));
        return joined;
    }

    /** {@code platform token ARGS} on the control plane's data dir; its output. */
    String token(String... args) {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        int code = new TokenCommand(new PrintStream(printed, true, UTF_8), Clock.systemUTC(), new SecureRandom())
                .run(TokenCommand.Options.parse(onControlPlane(args)));
        assertThat(code).isEqualTo(PlatformMain.OK);
        return printed.toString(UTF_8);
    }

    /** {@code platform certs ARGS} on the control plane's data dir; its output. */
    String certs(String... args) {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        int code = new CertsCommand(new PrintStream(printed, true, UTF_8), Clock.systemUTC())
                .run(CertsCommand.Options.parse(onControlPlane(args)));
        assertThat(code).isEqualTo(PlatformMain.OK);
        return printed.toString(UTF_8);
    }

    private List<String> onControlPlane(String... args) {
        List<String> arguments = new ArrayList<>(List.of(args));
        arguments.addAll(List.of("--data-dir", controlPlaneDir.toString()));
        return arguments;
    }

    Path nodeKubeconfig() {
        return nodeDir.resolve("node-agent-" + node + ".kubeconfig");
    }

    X509Certificate clusterCa() {
        return PemFiles.parseCertificate(PemFiles.read(platform.pki().caCertificate()), "ca.crt");
    }

    X509Certificate clientCertificate() {
        return KubeconfigFiles.clientCertificate(KubeconfigFiles.read(nodeKubeconfig())).orElseThrow();
    }

    X509Certificate servingCertificate() {
        Path file = nodeDir.resolve("pki/node-agent-" + node + ".crt");
        return PemFiles.parseCertificate(PemFiles.read(file), file.toString());
    }

    /** When the joined node last renewed its Lease. */
    String leaseRenewTime() {
        return admin.resources(Lease.class).inNamespace("kube-node-lease").withName(node).get().getSpec()
                .getRenewTime().toString();
    }

    /**
     * GET /healthz on the joined agent as the API server calls it: its current node-client certificate, trusting
     * the cluster's current CA bundle.
     */
    HttpResponse<String> agentHealthz() throws IOException, InterruptedException, GeneralSecurityException {
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

    @Override
    public void close() {
        try {
            if (joined != null) {
                joined.close();
            }
            admin.close();
            platform.close();
        } finally {
            settings.keySet().forEach(System::clearProperty);
        }
    }
}
