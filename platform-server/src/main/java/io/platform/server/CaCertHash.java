package io.platform.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;

/**
 * kubeadm's {@code --discovery-token-ca-cert-hash}: {@code sha256:} and the hex SHA-256 of a CA certificate's
 * DER-encoded SubjectPublicKeyInfo, taken from the certificate's own bytes.
 */
final class CaCertHash {

    private static final Pattern FORMAT = Pattern.compile("sha256:[0-9a-f]{64}");

    private CaCertHash() {}

    static String of(X509Certificate certificate) {
        try {
            byte[] publicKeyInfo = new JcaX509CertificateHolder(certificate).getSubjectPublicKeyInfo().getEncoded();
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(publicKeyInfo));
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("cannot encode the certificate " + certificate.getSubjectX500Principal()
                    + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK offers no SHA-256", e);
        }
    }

    /** A hash as given on a command line, lower-cased; throws {@link IllegalArgumentException} when malformed. */
    static String parse(String value) {
        String hash = value.strip().toLowerCase(Locale.ROOT);
        if (!FORMAT.matcher(hash).matches()) {
            throw new IllegalArgumentException("--discovery-token-ca-cert-hash must be sha256: followed by 64 hex "
                    + "digits (platform token create prints it), not '" + value + "'");
        }
        return hash;
    }

    /** True when one of {@code certificates} has one of the {@code pinned} hashes. */
    static boolean anyPinned(List<X509Certificate> certificates, List<String> pinned) {
        return certificates.stream().map(CaCertHash::of).anyMatch(pinned::contains);
    }
}
