package io.platform.api.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.platform.common.pki.CertificateNames;
import io.platform.common.pki.PemFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateAuthorityTest {

    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

    @TempDir
    Path dir;

    @Test
    void issuedCertificatesChainToTheCa() throws Exception {
        CertificateAuthority ca = CertificateAuthority.loadOrCreate(dir.resolve("pki"));
        IssuedCertificate server = ca.issueServer("kube-apiserver", List.of("localhost", "kubernetes.default.svc"),
                List.of("127.0.0.1", "::1"));
        IssuedCertificate client = ca.issueClient("admin", List.of("system:masters", "team-a"));

        validate(server.certificate(), ca.certificate());
        validate(client.certificate(), ca.certificate());
        assertThat(ca.issued(server.certificate())).isTrue();

        CertificateAuthority other = CertificateAuthority.create(Clock.systemUTC());
        assertThatThrownBy(() -> validate(server.certificate(), other.certificate()))
                .isInstanceOf(CertPathValidatorException.class);
        assertThat(other.issued(server.certificate())).isFalse();
    }

    @Test
    void caAndLeavesCarryTheExtensionsClientsCheck() throws Exception {
        CertificateAuthority ca = CertificateAuthority.loadOrCreate(dir.resolve("pki"));
        X509Certificate caCert = ca.certificate();
        assertThat(caCert.getSubjectX500Principal().getName()).isEqualTo("CN=platform-ca");
        assertThat(caCert.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(caCert.getKeyUsage()[5]).as("keyCertSign").isTrue();
        assertThat(caCert.getPublicKey().getAlgorithm()).isEqualTo("EC");
        assertThat(Duration.between(caCert.getNotBefore().toInstant(), caCert.getNotAfter().toInstant()))
                .isGreaterThan(Duration.ofDays(3649));

        X509Certificate server = ca.issueServer("kube-apiserver", List.of("localhost"), List.of("127.0.0.1"))
                .certificate();
        assertThat(server.getBasicConstraints()).isEqualTo(-1);
        assertThat(server.getKeyUsage()[0]).as("digitalSignature").isTrue();
        assertThat(server.getExtendedKeyUsage()).containsExactly(SERVER_AUTH);
        assertThat(server.getSubjectAlternativeNames())
                .containsExactlyInAnyOrder(List.of(2, "localhost"), List.of(7, "127.0.0.1"));
        assertThat(server.getExtensionValue("2.5.29.14")).as("subject key id").isNotNull();
        assertThat(server.getExtensionValue("2.5.29.35")).as("authority key id").isNotNull();
        assertThat(Duration.between(server.getNotBefore().toInstant(), server.getNotAfter().toInstant()))
                .isBetween(Duration.ofDays(365), Duration.ofDays(366));

        IssuedCertificate client = ca.issueClient("admin", List.of("system:masters"));
        assertThat(client.certificate().getExtendedKeyUsage()).containsExactly(CLIENT_AUTH);
        assertThat(client.commonName()).isEqualTo("admin");
        assertThat(CertificateNames.organizations(client.certificate())).containsExactly("system:masters");
    }

    @Test
    void pemFilesRoundTripWithPrivateKeysReadableByTheOwnerOnly() throws Exception {
        CertificateAuthority ca = CertificateAuthority.loadOrCreate(dir.resolve("pki"));
        IssuedCertificate client = ca.issueClient("system:kube-scheduler", List.of());
        Path cert = dir.resolve("out/client.crt");
        Path key = dir.resolve("out/client.key");
        client.writeTo(cert, key);

        assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(Files.readString(cert)).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(Files.getPosixFilePermissions(key)).isEqualTo(PemFiles.OWNER_ONLY);
        assertThat(Files.getPosixFilePermissions(dir.resolve("pki/ca.key"))).isEqualTo(PemFiles.OWNER_ONLY);

        IssuedCertificate read = IssuedCertificate.read(cert, key);
        assertThat(read.certificate()).isEqualTo(client.certificate());
        assertThat(read.privateKey().getEncoded()).isEqualTo(client.privateKey().getEncoded());
    }

    @Test
    void refusesToReplaceAHalfPresentCa() throws Exception {
        Path pki = dir.resolve("pki");
        CertificateAuthority.loadOrCreate(pki);
        Files.delete(pki.resolve("ca.key"));
        assertThatThrownBy(() -> CertificateAuthority.loadOrCreate(pki))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("ca.key");
    }

    @Test
    void leavesNeverOutliveTheCa() {
        Instant start = Instant.parse("2030-01-01T00:00:00Z");
        CertificateAuthority ca = CertificateAuthority.create(Clock.fixed(start, ZoneOffset.UTC));
        X509Certificate caCert = ca.certificate();
        Instant late = caCert.getNotAfter().toInstant().minus(Duration.ofDays(30));
        X509Certificate leaf = ca.withClock(Clock.fixed(late, ZoneOffset.UTC))
                .issueClient("admin", List.of()).certificate();
        assertThat(leaf.getNotAfter()).isEqualTo(caCert.getNotAfter());
    }

    private static void validate(X509Certificate leaf, X509Certificate anchor) throws Exception {
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(anchor, null)));
        parameters.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(
                CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf)), parameters);
    }
}
