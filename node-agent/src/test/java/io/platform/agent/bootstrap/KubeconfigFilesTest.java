package io.platform.agent.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Config;
import io.platform.common.client.KubeconfigClients;
import io.platform.common.pki.CertificateNames;
import io.platform.common.pki.CertificateSigner;
import io.platform.common.pki.CertificateTemplate;
import io.platform.common.pki.KeyPairs;
import io.platform.common.pki.PemFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node's kubeconfigs: written owner-only, read back by fabric8, client certificate replaced in place. */
class KubeconfigFilesTest {

    private static final String SERVER = "https://127.0.0.1:6443";

    @TempDir
    Path dir;

    private final KeyPair caKeys = KeyPairs.ecP256();
    private final X509Certificate ca = CertificateSigner.selfSignedCa(caKeys, "test-ca", Instant.now().minusSeconds(60),
            Instant.now().plus(Duration.ofDays(1)));

    @Test
    void theBootstrapKubeconfigCarriesTheTokenAndTheCa() throws Exception {
        Path file = dir.resolve("bootstrap.kubeconfig");

        KubeconfigFiles.write(file, KubeconfigFiles.withToken(SERVER, PemFiles.certificatePem(ca),
                KubeconfigFiles.BOOTSTRAP_USER, "abcdef.0123456789abcdef"));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        io.fabric8.kubernetes.client.Config client = KubeconfigClients.config(file);
        assertThat(client.getMasterUrl()).startsWith(SERVER);
        assertThat(client.getAutoOAuthToken()).isEqualTo("abcdef.0123456789abcdef");
        assertThat(KubeconfigFiles.certificateAuthorities(KubeconfigFiles.read(file), file)).containsExactly(ca);
        assertThat(KubeconfigFiles.clientCertificate(KubeconfigFiles.read(file))).isEmpty();
    }

    @Test
    void theNodeKubeconfigKeepsTheBootstrapClusterAndEmbedsTheIssuedCertificate() throws Exception {
        Config bootstrap = KubeconfigFiles.withToken(SERVER, PemFiles.certificatePem(ca), KubeconfigFiles.BOOTSTRAP_USER,
                "abcdef.0123456789abcdef");
        KeyPair keys = KeyPairs.ecP256();
        X509Certificate issued = issue(keys);
        Path file = dir.resolve("node.kubeconfig");

        KubeconfigFiles.write(file, KubeconfigFiles.forUser(bootstrap, "system:node:n1", PemFiles.certificatePem(issued),
                keys));

        String text = Files.readString(file);
        // one line per embedded value, as the platform's certificate inventory reads kubeconfigs
        assertThat(text).containsPattern("(?m)^\\s+client-certificate-data:\\s*\\S+\\s*$")
                .containsPattern("(?m)^\\s+certificate-authority-data:\\s*\\S+\\s*$")
                .doesNotContain("abcdef.0123456789abcdef");
        assertThat(KubeconfigFiles.clientCertificate(KubeconfigFiles.read(file))).contains(issued);
        io.fabric8.kubernetes.client.Config client = KubeconfigClients.config(file);
        assertThat(client.getMasterUrl()).startsWith(SERVER);
        assertThat(client.getClientKeyAlgo()).isEqualTo("EC");
        assertThat(client.getCurrentContext().getContext().getUser()).isEqualTo("system:node:n1");
    }

    @Test
    void replacingTheClientCertificateKeepsEverythingElse() {
        KeyPair first = KeyPairs.ecP256();
        Config config = KubeconfigFiles.withClientCertificate(SERVER, PemFiles.certificatePem(ca), "system:node:n1",
                PemFiles.certificatePem(issue(first)), first);
        KeyPair second = KeyPairs.ecP256();
        X509Certificate renewed = issue(second);

        Config replaced = KubeconfigFiles.replaceClientCertificate(config, PemFiles.certificatePem(renewed), second);

        assertThat(KubeconfigFiles.clientCertificate(replaced)).contains(renewed);
        assertThat(replaced.getClusters()).isEqualTo(config.getClusters());
        assertThat(replaced.getContexts()).isEqualTo(config.getContexts());
        assertThat(replaced.getCurrentContext()).isEqualTo(config.getCurrentContext());
    }

    private X509Certificate issue(KeyPair keys) {
        Instant now = Instant.now();
        return new CertificateSigner(ca, caKeys.getPrivate()).sign(new CertificateTemplate(
                CertificateNames.subject("system:node:n1", List.of("system:nodes")), keys.getPublic(),
                now.minusSeconds(60), now.plus(Duration.ofHours(1)), KeyUsage.digitalSignature,
                List.of(KeyPurposeId.id_kp_clientAuth), null));
    }
}
