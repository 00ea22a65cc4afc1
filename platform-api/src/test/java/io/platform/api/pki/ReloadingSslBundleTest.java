package io.platform.api.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.platform.common.tls.ReloadingSslBundle;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.ssl.DefaultSslBundleRegistry;
import org.springframework.boot.ssl.SslBundle;

class ReloadingSslBundleTest {

    @TempDir
    Path dataDir;

    @Test
    void servesARenewedCertificateAndARotatedBundleAndSkipsAHalfWrittenPair() throws Exception {
        ClusterPki pki = ClusterPki.loadOrCreate(dataDir, "https://127.0.0.1:6443", "node-1", "127.0.0.1");
        DefaultSslBundleRegistry registry = new DefaultSslBundleRegistry();
        List<SslBundle> updates = new CopyOnWriteArrayList<>();
        try (ReloadingSslBundle bundle = new ReloadingSslBundle(registry, "api", pki.apiServerCertificate(),
                pki.apiServerKey(), pki.caBundle(), Duration.ofMillis(100))) {
            registry.addBundleUpdateHandler("api", updates::add);
            X509Certificate first = served(registry.getBundle("api"));

            new CertificateRenewal(dataDir, Clock.systemUTC()).renew(List.of("apiserver"), Duration.ofDays(30), false);

            await().atMost(Duration.ofSeconds(5)).until(() -> !updates.isEmpty());
            X509Certificate renewed = served(updates.getLast());
            assertThat(renewed.getSerialNumber()).isNotEqualTo(first.getSerialNumber());
            assertThat(renewed.getSubjectX500Principal()).isEqualTo(first.getSubjectX500Principal());

            new CertificateRenewal(dataDir, Clock.systemUTC()).rotateCa(Duration.ofDays(30), false);

            await().atMost(Duration.ofSeconds(5)).until(() -> trusted(updates.getLast()).size() == 2);

            // a key that does not belong to the certificate is never served
            pki.authority().issueServer("other", List.of("localhost"), List.of()).writeTo(
                    dataDir.resolve("pki/other.crt"), pki.apiServerKey());
            int before = updates.size();
            assertThat(bundle.reloadIfChanged()).isFalse();
            assertThat(updates).hasSize(before);
        }
    }

    @Test
    void refusesFilesThatDoNotMatchAtStart() {
        ClusterPki pki = ClusterPki.loadOrCreate(dataDir, "https://127.0.0.1:6443", "node-1", "127.0.0.1");

        assertThatThrownBy(() -> new ReloadingSslBundle(new DefaultSslBundleRegistry(), "api", pki.apiServerCertificate(),
                pki.nodeAgentKey(), pki.caBundle(), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not the key of");
    }

    private static X509Certificate served(SslBundle bundle) throws Exception {
        KeyStore store = bundle.getStores().getKeyStore();
        return (X509Certificate) store.getCertificate(Collections.list(store.aliases()).getFirst());
    }

    private static List<String> trusted(SslBundle bundle) throws Exception {
        return new ArrayList<>(Collections.list(bundle.getStores().getTrustStore().aliases()));
    }
}
