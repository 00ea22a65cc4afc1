package io.platform.common.pki;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.Test;

/** Leaf certificates signed from a request, as the CSR signer issues them. */
class CertificateSignerTest {

    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

    @Test
    void aLeafCarriesTheTemplateAndVerifiesAgainstItsCa() throws Exception {
        KeyPair caKeys = KeyPairs.ecP256();
        X509Certificate ca = CertificateSigner.selfSignedCa(caKeys, "test-ca", NOW.minus(Duration.ofDays(1)),
                NOW.plus(Duration.ofDays(30)));
        CertificateRequest request = CertificateRequest.parse(CertificateRequest.createPem(KeyPairs.ecP256(),
                "system:node:n1", List.of("system:nodes"), List.of("n1"), List.of("127.0.0.1")));

        X509Certificate leaf = new CertificateSigner(ca, caKeys.getPrivate()).sign(new CertificateTemplate(
                request.subject(), request.publicKey(), NOW.minus(Duration.ofMinutes(5)), NOW.plus(Duration.ofHours(1)),
                KeyUsage.digitalSignature, List.of(KeyPurposeId.id_kp_serverAuth), request.subjectAlternativeNames()));

        leaf.verify(ca.getPublicKey());
        assertThat(CertificateNames.commonName(leaf)).isEqualTo("system:node:n1");
        assertThat(CertificateNames.organizations(leaf)).containsExactly("system:nodes");
        assertThat(CertificateNames.covers(leaf, "n1")).isTrue();
        assertThat(CertificateNames.covers(leaf, "127.0.0.1")).isTrue();
        assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
        assertThat(leaf.getKeyUsage()[0]).isTrue();
        assertThat(leaf.getKeyUsage()[2]).isFalse();
        assertThat(leaf.getExtendedKeyUsage()).containsExactly(KeyPurposeId.id_kp_serverAuth.getId());
        assertThat(leaf.getNotBefore().toInstant()).isEqualTo(NOW.minus(Duration.ofMinutes(5)));
        assertThat(leaf.getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofHours(1)));
        assertThat(KeyPairs.belongTogether(caKeys.getPrivate(), ca.getPublicKey())).isTrue();
        assertThat(KeyPairs.belongTogether(caKeys.getPrivate(), leaf.getPublicKey())).isFalse();
    }

    @Test
    void aLeafNeverOutlivesItsCa() {
        KeyPair caKeys = KeyPairs.ecP256();
        X509Certificate ca = CertificateSigner.selfSignedCa(caKeys, "short-ca", NOW, NOW.plus(Duration.ofDays(2)));
        KeyPair leafKeys = KeyPairs.ecP256();
        X509Certificate leaf = new CertificateSigner(ca, caKeys.getPrivate()).sign(new CertificateTemplate(
                CertificateNames.subject("alice", List.of()), leafKeys.getPublic(), NOW, NOW.plus(Duration.ofDays(365)),
                0, List.of(), null));
        assertThat(leaf.getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(2)).truncatedTo(ChronoUnit.SECONDS));
        assertThat(leaf.getKeyUsage()).isNull();
        assertThat(PemFiles.parseCertificate(PemFiles.certificatePem(leaf), "leaf")).isEqualTo(leaf);
    }
}
