package io.platform.api.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.platform.common.pki.PemFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateRenewalTest {

    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant LATER = CREATED.plus(Duration.ofDays(300));

    @TempDir
    Path dataDir;

    private ClusterPki create() {
        return create(Clock.fixed(CREATED, ZoneOffset.UTC));
    }

    private ClusterPki create(Clock clock) {
        return ClusterPki.loadOrCreate(dataDir, "https://127.0.0.1:6443", "node-1", "127.0.0.1", clock);
    }

    @Test
    void listsEveryCertificateWithItsExpiry() {
        create();

        List<CertificateEntry> entries = CertificateInventory.of(dataDir);

        assertThat(entries).extracting(CertificateEntry::name).containsExactly("ca", "apiserver",
                "apiserver-node-client", "node-agent-node-1", "admin.kubeconfig", "controller-manager.kubeconfig",
                "node-agent-node-1.kubeconfig", "scheduler.kubeconfig", "web-console.kubeconfig");
        CertificateEntry ca = entries.getFirst();
        assertThat(ca.kind()).isEqualTo(CertificateEntry.Kind.CA);
        assertThat(ca.daysLeft(CREATED)).isEqualTo(3650);
        CertificateEntry admin = entries.stream().filter(e -> e.name().equals("admin.kubeconfig")).findFirst().orElseThrow();
        assertThat(admin.subject()).isEqualTo("CN=admin,O=system:masters");
        assertThat(admin.issuer()).isEqualTo("CN=platform-ca");
        assertThat(admin.notAfter()).isEqualTo(CREATED.plus(Duration.ofDays(365)));
        assertThat(admin.daysLeft(CREATED.plus(Duration.ofDays(340)))).isEqualTo(25);
        assertThat(admin.daysLeft(CREATED.plus(Duration.ofDays(366)))).isEqualTo(-1);
    }

    @Test
    void everyCertificateExpiresAndLeafValidityIsConfigurable() {
        ClusterPki.loadOrCreate(dataDir, "https://127.0.0.1:6443", "node-1", "127.0.0.1",
                Clock.fixed(CREATED, ZoneOffset.UTC), Duration.ofDays(30));

        assertThat(CertificateInventory.of(dataDir)).filteredOn(CertificateEntry::renewable).hasSize(8)
                .allSatisfy(e -> assertThat(e.notAfter()).isEqualTo(CREATED.plus(Duration.ofDays(30))));
        assertThat(entry("ca").notAfter()).isEqualTo(CREATED.plus(CertificateAuthority.CA_VALIDITY));
    }

    @Test
    void renewalMovesNotAfterAndKeepsSubjectNamesAndKey() throws Exception {
        ClusterPki pki = create();
        X509Certificate before = IssuedCertificate.read(pki.apiServerCertificate(), pki.apiServerKey()).certificate();

        List<CertificateEntry> renewed = new CertificateRenewal(dataDir, Clock.fixed(LATER, ZoneOffset.UTC))
                .renew(List.of("apiserver", "admin.kubeconfig"), Duration.ofDays(90), false);

        assertThat(renewed).extracting(CertificateEntry::name).containsExactly("apiserver", "admin.kubeconfig");
        IssuedCertificate after = IssuedCertificate.read(pki.apiServerCertificate(), pki.apiServerKey());
        assertThat(after.certificate().getNotAfter().toInstant()).isEqualTo(LATER.plus(Duration.ofDays(90)));
        assertThat(after.certificate().getSubjectX500Principal()).isEqualTo(before.getSubjectX500Principal());
        assertThat(after.certificate().getSubjectAlternativeNames()).containsExactlyElementsOf(before.getSubjectAlternativeNames());
        assertThat(after.certificate().getExtendedKeyUsage()).isEqualTo(before.getExtendedKeyUsage());
        assertThat(after.certificate().getPublicKey()).isEqualTo(before.getPublicKey());
        assertThat(after.certificate().getSerialNumber()).isNotEqualTo(before.getSerialNumber());
        after.certificate().verify(pki.authority().certificate().getPublicKey());

        CertificateEntry admin = entry("admin.kubeconfig");
        assertThat(admin.notAfter()).isEqualTo(LATER.plus(Duration.ofDays(90)));
        assertThat(admin.subject()).isEqualTo("CN=admin,O=system:masters");
        assertThat(entry("scheduler.kubeconfig").notAfter()).isEqualTo(CREATED.plus(Duration.ofDays(365)));
    }

    @Test
    void renewalWithNewKeysReplacesTheKeyToo() throws Exception {
        ClusterPki pki = create();
        X509Certificate before = IssuedCertificate.read(pki.nodeAgentCertificate(), pki.nodeAgentKey()).certificate();

        new CertificateRenewal(dataDir, Clock.fixed(LATER, ZoneOffset.UTC)).renew(List.of(), Duration.ofDays(365), true);

        IssuedCertificate after = IssuedCertificate.read(pki.nodeAgentCertificate(), pki.nodeAgentKey());
        assertThat(after.certificate().getPublicKey()).isNotEqualTo(before.getPublicKey());
        assertThat(after.certificate().getSubjectX500Principal()).isEqualTo(before.getSubjectX500Principal());
        assertThat(CertificateInventory.of(dataDir)).filteredOn(CertificateEntry::renewable)
                .allSatisfy(e -> assertThat(e.notAfter()).isEqualTo(LATER.plus(Duration.ofDays(365))));
        // the kubeconfig's new key belongs to its new certificate
        String kubeconfig = PemFiles.read(pki.adminKubeconfig());
        X509Certificate clientCertificate = PemFiles.parseCertificate(
                CertificateInventory.embedded(kubeconfig, CertificateInventory.CLIENT_CERT_DATA), "cert");
        PrivateKey clientKey = PemFiles.parsePrivateKey(
                CertificateInventory.embedded(kubeconfig, CertificateInventory.CLIENT_KEY_DATA), "key");
        assertThat(signs(clientKey, clientCertificate)).isTrue();
    }

    @Test
    void refusesUnknownNamesAndTheCa() {
        create();
        CertificateRenewal renewal = new CertificateRenewal(dataDir, Clock.systemUTC());

        assertThatThrownBy(() -> renewal.renew(List.of("nope"), Duration.ofDays(1), false))
                .isInstanceOf(PkiException.class).hasMessageContaining("no certificate named nope")
                .hasMessageContaining("apiserver");
        assertThatThrownBy(() -> renewal.renew(List.of("ca"), Duration.ofDays(1), false))
                .isInstanceOf(PkiException.class).hasMessageContaining("rotate-ca");
    }

    @Test
    void renewsOnlyWhatExpiresSoon() {
        create();
        CertificateRenewal renewal = new CertificateRenewal(dataDir, Clock.fixed(LATER, ZoneOffset.UTC));

        assertThat(renewal.renewExpiring(Duration.ofDays(30), Duration.ofDays(365))).isEmpty();
        assertThat(renewal.renewExpiring(Duration.ofDays(70), Duration.ofDays(365))).hasSize(8);
        assertThat(renewal.renewExpiring(Duration.ofDays(70), Duration.ofDays(365))).isEmpty();
    }

    @Test
    void caRotationTrustsBothCasUntilItIsFinished() throws Exception {
        Clock now = Clock.systemUTC();
        ClusterPki pki = create(now);
        CertificateAuthority oldCa = pki.authority();
        IssuedCertificate oldClient = oldCa.issueClient("old-user", List.of());
        CertificateRenewal renewal = new CertificateRenewal(dataDir, now);

        renewal.rotateCa(Duration.ofDays(365), false);

        CertificateAuthority newCa = CertificateAuthority.loadOrCreate(pki.pkiDir(), now);
        assertThat(newCa.certificate()).isNotEqualTo(oldCa.certificate());
        assertThat(newCa.certificate().getSubjectX500Principal().getName()).startsWith("CN=platform-ca-");
        assertThat(bundle(pki)).containsExactly(newCa.certificate(), oldCa.certificate());
        // clients move to the new CA at once; servers keep the old CA's certificates until the rotation finishes
        assertThat(CertificateInventory.of(dataDir)).filteredOn(CertificateEntry::renewable)
                .filteredOn(CertificateRenewalTest::serving)
                .extracting(CertificateEntry::name).containsExactly("apiserver", "node-agent-node-1")
                .allSatisfy(name -> assertThat(entry(name).issuer()).isEqualTo("CN=platform-ca"));
        assertThat(CertificateInventory.of(dataDir)).filteredOn(CertificateEntry::renewable)
                .filteredOn(e -> !serving(e)).hasSize(6)
                .allSatisfy(e -> e.certificate().verify(newCa.certificate().getPublicKey()));
        assertThat(CertificateInventory.embedded(Files.readString(pki.adminKubeconfig()), CertificateInventory.CA_DATA))
                .isEqualTo(Files.readString(pki.caBundle()));
        // a restart during the rotation keeps every certificate, those of the old CA too
        assertThat(ClusterPki.loadOrCreate(dataDir, "https://127.0.0.1:6443", "node-1", "127.0.0.1").written()).isEmpty();
        assertThatThrownBy(() -> renewal.rotateCa(Duration.ofDays(365), false)).hasMessageContaining("--finish");
        IssuedCertificate newClient = newCa.issueClient("new-user", List.of());
        assertThat(acceptedByServerTrustingTheBundle(pki, oldClient)).isTrue();
        assertThat(acceptedByServerTrustingTheBundle(pki, newClient)).isTrue();

        renewal.finishCaRotation(Duration.ofDays(365));

        assertThat(bundle(pki)).containsExactly(newCa.certificate());
        assertThat(pki.pkiDir().resolve(ClusterPki.OLD_CA_FILE)).doesNotExist();
        assertThat(CertificateInventory.of(dataDir)).filteredOn(CertificateEntry::renewable)
                .allSatisfy(e -> e.certificate().verify(newCa.certificate().getPublicKey()));
        assertThat(CertificateInventory.embedded(Files.readString(pki.schedulerKubeconfig()), CertificateInventory.CA_DATA))
                .isEqualTo(newCa.certificatePem());
        assertThat(acceptedByServerTrustingTheBundle(pki, oldClient)).isFalse();
        assertThat(acceptedByServerTrustingTheBundle(pki, newClient)).isTrue();
        assertThatThrownBy(() -> renewal.finishCaRotation(Duration.ofDays(365))).hasMessageContaining("no CA rotation");
        // a restart keeps the rotated CA and the certificates it issued
        ClusterPki again = ClusterPki.loadOrCreate(dataDir, "https://127.0.0.1:6443", "node-1", "127.0.0.1");
        assertThat(again.written()).isEmpty();
        assertThat(again.authority().certificate()).isEqualTo(newCa.certificate());
    }

    private static boolean signs(PrivateKey key, X509Certificate certificate) throws Exception {
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(key);
        signer.update(new byte[] {1, 2, 3});
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(certificate.getPublicKey());
        verifier.update(new byte[] {1, 2, 3});
        return verifier.verify(signature);
    }

    private static boolean serving(CertificateEntry entry) {
        try {
            return entry.certificate().getExtendedKeyUsage().contains(SERVER_AUTH);
        } catch (CertificateParsingException e) {
            throw new IllegalStateException(e);
        }
    }

    private CertificateEntry entry(String name) {
        return CertificateInventory.of(dataDir).stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow();
    }

    private static List<X509Certificate> bundle(ClusterPki pki) {
        return PemFiles.parseCertificates(PemFiles.read(pki.caBundle()), "bundle");
    }

    /**
     * A TLS handshake with a server that serves the API server's current certificate and requires client
     * certificates signed by a CA of {@code pki/ca-bundle.crt}; the client trusts the bundle too.
     */
    private static boolean acceptedByServerTrustingTheBundle(ClusterPki pki, IssuedCertificate client) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        List<X509Certificate> cas = bundle(pki);
        for (int i = 0; i < cas.size(); i++) {
            trust.setCertificateEntry("ca-" + i, cas.get(i));
        }
        IssuedCertificate serving = IssuedCertificate.read(pki.apiServerCertificate(), pki.apiServerKey());
        SSLContext serverContext = context(serving, trust);
        SSLContext clientContext = context(client, trust);
        try (SSLServerSocket listener = (SSLServerSocket) serverContext.getServerSocketFactory().createServerSocket(0)) {
            listener.setNeedClientAuth(true);
            CompletableFuture<Boolean> serverSide = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket accepted = (SSLSocket) listener.accept()) {
                    accepted.setSoTimeout(5000);
                    accepted.startHandshake();
                    accepted.getOutputStream().write(1);
                    accepted.getOutputStream().flush();
                    return true;
                } catch (IOException e) {
                    return false;
                }
            });
            boolean clientSide;
            try (SSLSocket socket = (SSLSocket) clientContext.getSocketFactory().createSocket("127.0.0.1", listener.getLocalPort())) {
                socket.setSoTimeout(5000);
                socket.startHandshake();
                clientSide = socket.getInputStream().read() == 1;
            } catch (IOException e) {
                clientSide = false;
            }
            return serverSide.get(10, TimeUnit.SECONDS) && clientSide;
        }
    }

    private static SSLContext context(IssuedCertificate identity, KeyStore trust) throws Exception {
        char[] password = "test".toCharArray();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("identity", identity.privateKey(), password, new Certificate[] {identity.certificate()});
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, password);
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), new SecureRandom());
        return context;
    }
}
