package io.platform.common.pki;

import java.security.PublicKey;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.jspecify.annotations.Nullable;

/**
 * What a leaf certificate says: the holder's subject and public key, its validity, its key usages (the bits of
 * {@link org.bouncycastle.asn1.x509.KeyUsage}, none when zero), extended key usages (none when empty) and subject
 * alternative names.
 */
public record CertificateTemplate(X500Name subject, PublicKey publicKey, Instant notBefore, Instant notAfter,
        int keyUsage, List<KeyPurposeId> extendedKeyUsages, @Nullable GeneralNames subjectAlternativeNames) {

    public CertificateTemplate {
        if (!notAfter.isAfter(notBefore)) {
            throw new IllegalArgumentException("a certificate must end after it starts, got " + notBefore + " to "
                    + notAfter);
        }
        extendedKeyUsages = List.copyOf(extendedKeyUsages);
    }
}
