package io.platform.common.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Certificate requests as both ends of the CSR flow write and read them. */
class CertificateRequestTest {

    @Test
    void aRequestCarriesSubjectNamesAndKey() throws Exception {
        KeyPair keys = KeyPairs.ecP256();
        String pem = CertificateRequest.createPem(keys, "system:node:node-1", List.of("system:nodes"),
                List.of("node-1.example"), List.of("10.0.0.7", "[::1]"));
        assertThat(pem).startsWith("-----BEGIN CERTIFICATE REQUEST-----");

        CertificateRequest request = CertificateRequest.parse(pem);
        assertThat(request.commonName()).isEqualTo("system:node:node-1");
        assertThat(request.organizations()).containsExactly("system:nodes");
        assertThat(request.dnsNames()).containsExactly("node-1.example");
        assertThat(request.ipAddresses()).containsExactly(InetAddress.getByName("10.0.0.7"), InetAddress.getByName("::1"));
        assertThat(request.emailAddresses()).isEmpty();
        assertThat(request.hasNoSubjectAlternativeNames()).isFalse();
        assertThat(request.publicKey()).isEqualTo(keys.getPublic());
        assertThat(request.signatureValid()).isTrue();
    }

    @Test
    void aClientRequestHasNoNamesAndRsaKeysWorkToo() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        CertificateRequest request = CertificateRequest.parse(CertificateRequest.createPem(rsa.generateKeyPair(), "alice",
                List.of("dev", "ops"), List.of(), List.of()));
        assertThat(request.organizations()).containsExactly("dev", "ops");
        assertThat(request.hasNoSubjectAlternativeNames()).isTrue();
        assertThat(request.subjectAlternativeNames()).isNull();
        assertThat(request.signatureValid()).isTrue();
    }

    @Test
    void aTamperedRequestFailsItsSignatureAndOtherPemIsRefused() {
        String pem = CertificateRequest.createPem(KeyPairs.ecP256(), "bob", List.of(), List.of(), List.of());
        byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", "").strip());
        // the subject's last byte ("b" of "bob"): the signature no longer covers what is there
        int at = new String(der, StandardCharsets.ISO_8859_1).indexOf("bob") + 2;
        der[at] = 'x';
        String tampered = "-----BEGIN CERTIFICATE REQUEST-----\n" + Base64.getMimeEncoder().encodeToString(der)
                + "\n-----END CERTIFICATE REQUEST-----\n";
        CertificateRequest request = CertificateRequest.parse(tampered);
        assertThat(request.commonName()).isEqualTo("box");
        assertThat(request.signatureValid()).isFalse();

        assertThatThrownBy(() -> CertificateRequest.parse(pem.replace("CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST")))
                .isInstanceOf(PkiException.class).hasMessage("PEM block type must be CERTIFICATE REQUEST");
        assertThatThrownBy(() -> CertificateRequest.parse("no pem here")).isInstanceOf(PkiException.class);
    }
}
