package io.platform.controllers.certificates;

import io.platform.common.pki.CertificateSigner;
import io.platform.common.pki.KeyPairs;
import io.platform.common.pki.PemFiles;
import io.platform.common.pki.PkiException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CA the signer issues with, read from its PEM certificate and key files and read again whenever their content
 * changes (a CA rotation replaces both), as kube-controller-manager's dynamic serving content for
 * {@code --cluster-signing-cert-file}. A key that does not belong to the certificate (one file replaced, the other
 * not yet) is refused until the pair is whole again.
 */
final class SigningCa {

    private static final Logger log = LoggerFactory.getLogger(SigningCa.class);

    private final Path certificateFile;
    private final Path keyFile;
    private byte @Nullable [] loadedCertificate;
    private byte @Nullable [] loadedKey;
    private @Nullable CertificateSigner signer;

    SigningCa(Path certificateFile, Path keyFile) {
        this.certificateFile = certificateFile;
        this.keyFile = keyFile;
    }

    /** The signer for the files as they are now; throws {@link PkiException} when they are unreadable or no pair. */
    synchronized CertificateSigner current() {
        byte[] certificateBytes = read(certificateFile);
        byte[] keyBytes = read(keyFile);
        if (signer != null && Arrays.equals(certificateBytes, loadedCertificate) && Arrays.equals(keyBytes, loadedKey)) {
            return signer;
        }
        X509Certificate certificate = PemFiles.parseCertificate(new String(certificateBytes, StandardCharsets.UTF_8), certificateFile.toString());
        PrivateKey key = PemFiles.parsePrivateKey(new String(keyBytes, StandardCharsets.UTF_8), keyFile.toString());
        if (!KeyPairs.belongTogether(key, certificate.getPublicKey())) {
            throw new PkiException(keyFile + " is not the key of " + certificateFile + "; waiting for both to be replaced");
        }
        boolean reloaded = signer != null;
        signer = new CertificateSigner(certificate, key);
        loadedCertificate = certificateBytes;
        loadedKey = keyBytes;
        log.info("csrsigning: {} the signing CA {} from {} (valid until {})", reloaded ? "reloaded" : "loaded",
                certificate.getSubjectX500Principal().getName(), certificateFile, certificate.getNotAfter().toInstant());
        return signer;
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the signing file " + file, e);
        }
    }
}
