package io.platform.controllers.certificates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.platform.common.pki.CertificateSigner;
import io.platform.common.pki.KeyPairs;
import io.platform.common.pki.PemFiles;
import io.platform.common.pki.PkiException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The signing CA follows its files: the same signer while they stay, the new CA once both are replaced. */
class SigningCaTest {

    @TempDir
    Path dir;

    @Test
    void followsTheFilesAndWaitsForAWholePair() {
        Path certificate = dir.resolve("ca.crt");
        Path key = dir.resolve("ca.key");
        X509Certificate first = write(certificate, key, "first-ca", KeyPairs.ecP256());
        SigningCa ca = new SigningCa(certificate, key);
        CertificateSigner signer = ca.current();
        assertThat(signer.issuer()).isEqualTo(first);
        assertThat(ca.current()).isSameAs(signer);

        KeyPair next = KeyPairs.ecP256();
        X509Certificate second = CertificateSigner.selfSignedCa(next, "second-ca", Instant.now(),
                Instant.now().plus(Duration.ofDays(1)));
        PemFiles.write(certificate, PemFiles.certificatePem(second), PemFiles.WORLD_READABLE);
        assertThatThrownBy(ca::current).isInstanceOf(PkiException.class).hasMessageContaining("is not the key of");

        PemFiles.write(key, PemFiles.privateKeyPem(next.getPrivate()), PemFiles.OWNER_ONLY);
        assertThat(ca.current().issuer()).isEqualTo(second);
    }

    private static X509Certificate write(Path certificateFile, Path keyFile, String name, KeyPair keys) {
        X509Certificate certificate = CertificateSigner.selfSignedCa(keys, name, Instant.now(),
                Instant.now().plus(Duration.ofDays(1)));
        PemFiles.write(certificateFile, PemFiles.certificatePem(certificate), PemFiles.WORLD_READABLE);
        PemFiles.write(keyFile, PemFiles.privateKeyPem(keys.getPrivate()), PemFiles.OWNER_ONLY);
        return certificate;
    }
}
