package io.platform.api.pki;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;

/**
 * One certificate of a data dir: a CA certificate, a PEM certificate beside its key in {@code pki/}, or the
 * client certificate embedded in a kubeconfig.
 *
 * @param name what {@code ./platform certs renew NAME} calls it: the file name without {@code .crt} for files in
 *     {@code pki/}, the file name for kubeconfigs
 * @param file where it is stored
 * @param kind what it is, which says how it is renewed
 * @param certificate the certificate as stored
 */
public record CertificateEntry(String name, Path file, Kind kind, X509Certificate certificate) {

    /** How a certificate is stored and renewed. */
    public enum Kind {
        /** The cluster CA ({@code pki/ca.crt}); replaced by a rotation, never renewed in place. */
        CA,
        /** The previous CA during a rotation ({@code pki/ca-old.crt}); trusted until the rotation finishes. */
        PREVIOUS_CA,
        /** A leaf certificate with its key beside it ({@code pki/NAME.crt} and {@code pki/NAME.key}). */
        CERTIFICATE,
        /** The client certificate in a kubeconfig's {@code client-certificate-data}. */
        KUBECONFIG
    }

    public String subject() {
        return certificate.getSubjectX500Principal().getName();
    }

    public String issuer() {
        return certificate.getIssuerX500Principal().getName();
    }

    public Instant notAfter() {
        return certificate.getNotAfter().toInstant();
    }

    /** Whole days from {@code now} until expiry, rounded down; negative once expired. */
    public long daysLeft(Instant now) {
        return Math.floorDiv(Duration.between(now, notAfter()).toSeconds(), Duration.ofDays(1).toSeconds());
    }

    public boolean renewable() {
        return kind == Kind.CERTIFICATE || kind == Kind.KUBECONFIG;
    }
}
