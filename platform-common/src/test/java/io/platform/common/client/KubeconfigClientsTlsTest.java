package io.platform.common.client;

import static io.platform.common.tls.TestCertificates.writeAtomically;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.platform.common.tls.ReloadingMaterial;
import io.platform.common.tls.TestCertificates;
import io.platform.common.tls.TestCertificates.Authority;
import io.platform.common.tls.TestCertificates.Issued;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Clients from {@link KubeconfigClients} against a real TLS server that records the client certificate of every
 * request (each on a new connection): a renewed certificate, a rotated CA and certificate files take effect without
 * building the client again, and a kubeconfig that cannot be used keeps the credentials in use.
 */
class KubeconfigClientsTlsTest {

    private static final String USER = "system:kube-scheduler";

    @TempDir
    Path dir;

    private final Authority ca = Authority.create("test-ca");
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeEach
    void captureLogs() {
        logs.start();
        logger(ReloadingMaterial.class).addAppender(logs);
        logger(KubeconfigClients.class).addAppender(logs);
    }

    @AfterEach
    void releaseLogs() {
        logger(ReloadingMaterial.class).detachAppender(logs);
        logger(KubeconfigClients.class).detachAppender(logs);
    }

    @Test
    void presentsTheRenewedClientCertificateOnTheNextConnection() {
        Issued first = ca.client(USER, false);
        Path kubeconfig = dir.resolve("scheduler.kubeconfig");
        try (RecordingHttpsServer server = RecordingHttpsServer.start(0,
                TestCertificates.serverContext(ca.server(), List.of(ca.certificate())), true, null)) {
            writeAtomically(kubeconfig, embedded(server.url(), List.of(ca.certificate()), first));
            try (KubernetesClient client = KubeconfigClients.fromFile(kubeconfig);
                    KubernetesClient fixed = new KubernetesClientBuilder()
                            .withConfig(KubeconfigClients.config(kubeconfig)).build()) {
                client.getKubernetesVersion();
                assertThat(server.last().serial()).isEqualTo(first.serial());

                Issued renewed = ca.client(USER, false);
                writeAtomically(kubeconfig, embedded(server.url(), List.of(ca.certificate()), renewed));

                client.getKubernetesVersion();
                assertThat(server.last().serial()).isEqualTo(renewed.serial());
                client.getKubernetesVersion();
                assertThat(server.last().serial()).isEqualTo(renewed.serial());
                // what every component did before: a client with fixed TLS settings keeps its first certificate
                fixed.getKubernetesVersion();
                assertThat(server.last().serial()).isEqualTo(first.serial());
                assertThat(messages()).containsExactly("read the changed kubeconfig " + kubeconfig.toAbsolutePath()
                        + ": client certificate CN=" + USER + " serial " + renewed.serial().toString(16)
                        + ", trusting 1 CA certificates");
            }
        }
    }

    @Test
    void followsACaRotationAcrossAServerThatTrustsOnlyTheNewCa() {
        Authority next = Authority.create("test-ca-next");
        Issued first = ca.client(USER, false);
        Path kubeconfig = dir.resolve("scheduler.kubeconfig");
        Path copy = dir.resolve("before-rotation.kubeconfig");
        // during the rotation the server trusts client certificates of both CAs and still serves one of the old CA
        RecordingHttpsServer server = RecordingHttpsServer.start(0,
                TestCertificates.serverContext(ca.server(), List.of(ca.certificate(), next.certificate())), true, null);
        int port = server.port();
        try (KubernetesClient client = clientAfter(kubeconfig, embedded(server.url(), List.of(ca.certificate()), first))) {
            writeAtomically(copy, embedded(server.url(), List.of(ca.certificate()), first));
            client.getKubernetesVersion();
            assertThat(server.last().serial()).isEqualTo(first.serial());

            // rotate-ca: the kubeconfig trusts both CAs and holds a certificate of the new one
            Issued rotated = next.client(USER, false);
            writeAtomically(kubeconfig, embedded(server.url(), List.of(next.certificate(), ca.certificate()), rotated));
            client.getKubernetesVersion();
            assertThat(server.last().serial()).isEqualTo(rotated.serial());

            // --finish: the kubeconfig trusts only the new CA; the server serves a certificate of the new CA and
            // accepts only its client certificates, so nothing issued by the old CA gets through any more
            Issued finished = next.client(USER, false);
            writeAtomically(kubeconfig, embedded(server.url(), List.of(next.certificate()), finished));
            server.close();
            server = RecordingHttpsServer.start(port,
                    TestCertificates.serverContext(next.server(), List.of(next.certificate())), true, null);

            client.getKubernetesVersion();
            assertThat(server.seen()).extracting(RecordingHttpsServer.Seen::serial).containsExactly(finished.serial());
            try (KubernetesClient before = KubeconfigClients.fromFile(copy, config -> config.setRequestRetryBackoffLimit(0))) {
                assertThatThrownBy(before::getKubernetesVersion).isInstanceOf(KubernetesClientException.class);
            }
            assertThat(server.seen()).hasSize(1);
        } finally {
            server.close();
        }
    }

    @Test
    void keepsTheCredentialsInUseWhileTheKubeconfigDoesNotParse() {
        Issued first = ca.client(USER, false);
        Path kubeconfig = dir.resolve("scheduler.kubeconfig");
        try (RecordingHttpsServer server = RecordingHttpsServer.start(0,
                TestCertificates.serverContext(ca.server(), List.of(ca.certificate())), true, null);
                KubernetesClient client = clientAfter(kubeconfig, embedded(server.url(), List.of(ca.certificate()), first))) {
            client.getKubernetesVersion();

            writeAtomically(kubeconfig, "apiVersion: v1\nkind: Config\nclusters: [ {name: \"platform\"\n");
            client.getKubernetesVersion();
            client.getKubernetesVersion();
            assertThat(server.seen()).extracting(RecordingHttpsServer.Seen::serial)
                    .containsExactly(first.serial(), first.serial(), first.serial());
            assertThat(messages()).singleElement().asString()
                    .startsWith("keeping the TLS material in use for " + kubeconfig.toAbsolutePath() + ": ")
                    .contains("is not a kubeconfig").doesNotContain("\n");

            // a certificate that does not fit its key is refused as well
            Issued other = ca.client(USER, false);
            writeAtomically(kubeconfig, kubeconfig(server.url(), List.of(ca.certificate()), """
                        client-certificate-data: %s
                        client-key-data: %s
                    """.formatted(base64(other.certificatePem()), base64(first.keyPem()))));
            client.getKubernetesVersion();
            assertThat(server.last().serial()).isEqualTo(first.serial());

            Issued renewed = ca.client(USER, false);
            writeAtomically(kubeconfig, embedded(server.url(), List.of(ca.certificate()), renewed));
            client.getKubernetesVersion();
            assertThat(server.last().serial()).isEqualTo(renewed.serial());
        }
    }

    @Test
    void followsTheCertificateAndKeyFilesAKubeconfigNames() throws Exception {
        Issued first = ca.client(USER, true);
        Files.writeString(dir.resolve("ca.crt"), ca.self().certificatePem());
        Files.writeString(dir.resolve("client.crt"), first.certificatePem());
        Files.writeString(dir.resolve("client.key"), first.keyPem());
        Path kubeconfig = dir.resolve("scheduler.kubeconfig");
        try (RecordingHttpsServer server = RecordingHttpsServer.start(0,
                TestCertificates.serverContext(ca.server(), List.of(ca.certificate())), true, null)) {
            String files = """
                    apiVersion: v1
                    kind: Config
                    clusters:
                    - name: platform
                      cluster:
                        server: %s
                        certificate-authority: ca.crt
                    users:
                    - name: scheduler
                      user:
                        client-certificate: client.crt
                        client-key: client.key
                    contexts:
                    - name: scheduler@platform
                      context:
                        cluster: platform
                        user: scheduler
                    current-context: scheduler@platform
                    """.formatted(server.url());
            try (KubernetesClient client = clientAfter(kubeconfig, files)) {
                client.getKubernetesVersion();
                assertThat(server.last().serial()).isEqualTo(first.serial());

                // a renewal writing the certificate, then the key: in between the first pair stays in use
                Issued renewed = ca.client(USER, true);
                writeAtomically(dir.resolve("client.crt"), renewed.certificatePem());
                client.getKubernetesVersion();
                assertThat(server.last().serial()).isEqualTo(first.serial());
                writeAtomically(dir.resolve("client.key"), renewed.keyPem());
                client.getKubernetesVersion();
                assertThat(server.last().serial()).isEqualTo(renewed.serial());
                assertThat(messages()).noneMatch(message -> message.startsWith("keeping"));
            }
        }
    }

    @Test
    void tokenKubeconfigsStillAuthenticateWithTheirToken() {
        try (RecordingHttpsServer server = RecordingHttpsServer.start(0,
                TestCertificates.serverContext(ca.server(), List.of(ca.certificate())), false, "abc.0123456789");
                KubernetesClient client = clientAfter(dir.resolve("token.kubeconfig"),
                        kubeconfig(server.url(), List.of(ca.certificate()), "    token: abc.0123456789\n"))) {
            assertThat(client.getKubernetesVersion().getGitVersion()).isEqualTo("v1.32.0");
            assertThat(server.last()).isEqualTo(new RecordingHttpsServer.Seen(null, "Bearer abc.0123456789"));
        }
    }

    private KubernetesClient clientAfter(Path kubeconfig, String content) {
        writeAtomically(kubeconfig, content);
        return KubeconfigClients.fromFile(kubeconfig);
    }

    private static String embedded(String server, List<X509Certificate> trusted, Issued client) {
        return kubeconfig(server, trusted, """
                    client-certificate-data: %s
                    client-key-data: %s
                """.formatted(base64(client.certificatePem()), base64(client.keyPem())));
    }

    /** The platform's kubeconfig layout, with {@code user} as the user's fields (indented four spaces). */
    private static String kubeconfig(String server, List<X509Certificate> trusted, String user) {
        StringBuilder bundle = new StringBuilder();
        trusted.forEach(certificate -> bundle.append(TestCertificates.pem(certificate)));
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - name: "platform"
                  cluster:
                    server: "%s"
                    certificate-authority-data: %s
                users:
                - name: "system:kube-scheduler"
                  user:
                %scontexts:
                - name: "system:kube-scheduler@platform"
                  context:
                    cluster: "platform"
                    user: "system:kube-scheduler"
                current-context: "system:kube-scheduler@platform"
                """.formatted(server, base64(bundle.toString()), user);
    }

    private static String base64(String pem) {
        return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.UTF_8));
    }

    private List<String> messages() {
        return logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    private static Logger logger(Class<?> type) {
        return (Logger) LoggerFactory.getLogger(type);
    }
}
