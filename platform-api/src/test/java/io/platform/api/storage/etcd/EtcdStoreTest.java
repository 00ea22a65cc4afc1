package io.platform.api.storage.etcd;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.platform.api.pki.CertificateAuthority;
import io.platform.api.pki.IssuedCertificate;
import io.platform.api.storage.KeyValue;
import io.platform.api.storage.StoreUrl;
import io.platform.api.testing.EtcdProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What is particular to etcd: TLS with client certificates, and a cluster named by several endpoints. */
class EtcdStoreTest {

    @TempDir
    Path dir;

    @Test
    void talksTlsWithAClientCertificate() {
        EtcdProcess.assumeInstalled();
        CertificateAuthority ca = CertificateAuthority.create(Clock.systemUTC());
        Path caFile = dir.resolve("ca.crt");
        writeString(caFile, ca.certificatePem());
        IssuedCertificate server = ca.issueServer("etcd", List.of("localhost"), List.of("127.0.0.1"));
        server.writeTo(dir.resolve("server.crt"), dir.resolve("server.key"));
        IssuedCertificate client = ca.issueClient("system:apiserver", List.of());
        client.writeTo(dir.resolve("client.crt"), dir.resolve("client.key"));

        try (EtcdProcess etcd = EtcdProcess.start(
                new EtcdProcess.Tls(dir.resolve("server.crt"), dir.resolve("server.key"), caFile))) {
            assertThat(etcd.storeUrl()).startsWith("etcds://");
            EtcdStoreProperties tls = EtcdStoreProperties.defaults()
                    .withTls(caFile, dir.resolve("client.crt"), dir.resolve("client.key"));
            try (EtcdStore store = EtcdStore.open(url(etcd.storeUrl()), tls, 16)) {
                KeyValue created = store.create("/registry/secrets/ns/s", "v".getBytes(UTF_8));
                assertThat(store.get("/registry/secrets/ns/s")).get().extracting(KeyValue::modRevision)
                        .isEqualTo(created.modRevision());
            }

            // without a client certificate etcd refuses the connection
            EtcdStoreProperties noClientCert = new EtcdStoreProperties(caFile, null, null, Duration.ofSeconds(3),
                    Duration.ofSeconds(2));
            assertThatThrownBy(() -> EtcdStore.open(url(etcd.storeUrl()), noClientCert, 16).close())
                    .isInstanceOf(RuntimeException.class);
        }
    }

    @Test
    void tlsFilesNeedAnEtcdsUrl() {
        EtcdStoreProperties tls = EtcdStoreProperties.defaults()
                .withTls(dir.resolve("ca.crt"), dir.resolve("c.crt"), dir.resolve("c.key"));
        assertThatThrownBy(() -> EtcdStore.open(url("etcd://127.0.0.1:2379"), tls, 16))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("etcds://127.0.0.1:2379");
    }

    @Test
    void servesWhileOneOfSeveralEndpointsIsDown() throws IOException {
        int deadPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            deadPort = socket.getLocalPort();
        }
        try (EtcdProcess etcd = EtcdProcess.start();
                EtcdStore store = EtcdStore.open(
                        url("etcd://127.0.0.1:" + deadPort + ",127.0.0.1:" + etcd.clientPort()),
                        EtcdStoreProperties.defaults(), 16)) {
            for (int i = 0; i < 10; i++) {
                store.create("/registry/pods/ns/p" + i, "v".getBytes(UTF_8));
            }
            assertThat(store.count("/registry/pods/")).isEqualTo(10);
        }
    }

    private static StoreUrl.Etcd url(String url) {
        return (StoreUrl.Etcd) StoreUrl.parse(url);
    }

    private static void writeString(Path file, String content) {
        try {
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
