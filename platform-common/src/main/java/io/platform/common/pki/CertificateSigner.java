package io.platform.common.pki;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Signs leaf certificates with a CA's key: the one place the platform builds X.509 certificates, used by the API
 * server's cluster PKI and the controller manager's CSR signer alike.
 */
public final class CertificateSigner {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final X509Certificate issuer;
    private final PrivateKey issuerKey;

    public CertificateSigner(X509Certificate issuer, PrivateKey issuerKey) {
        this.issuer = issuer;
        this.issuerKey = issuerKey;
    }

    /**
     * A self-signed CA certificate for {@code keys} (basic constraints CA, key usages certificate and CRL signing
     * plus digital signature, as kubeadm's CA).
     */
    public static X509Certificate selfSignedCa(KeyPair keys, String commonName, Instant notBefore, Instant notAfter) {
        X500Name name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serialNumber(),
                    Date.from(notBefore), Date.from(notAfter), name, keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true,
                            new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(keys.getPublic()));
            return sign(builder, keys.getPrivate());
        } catch (GeneralSecurityException | CertIOException e) {
            throw new PkiException("cannot create the CA " + commonName + ": " + e.getMessage(), e);
        }
    }

    /**
     * A leaf certificate (never a CA) as {@code template} says, except that it never outlives the issuer: verifiers
     * would reject the chain after the CA expires.
     */
    public X509Certificate sign(CertificateTemplate template) {
        Instant notAfter = template.notAfter();
        if (notAfter.isAfter(issuer.getNotAfter().toInstant())) {
            notAfter = issuer.getNotAfter().toInstant();
        }
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded()), serialNumber(),
                    Date.from(template.notBefore()), Date.from(notAfter), template.subject(), template.publicKey())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(template.publicKey()))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            extensions.createAuthorityKeyIdentifier(issuer));
            if (template.keyUsage() != 0) {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(template.keyUsage()));
            }
            if (!template.extendedKeyUsages().isEmpty()) {
                builder.addExtension(Extension.extendedKeyUsage, false,
                        new ExtendedKeyUsage(template.extendedKeyUsages().toArray(KeyPurposeId[]::new)));
            }
            if (template.subjectAlternativeNames() != null) {
                builder.addExtension(Extension.subjectAlternativeName, false, template.subjectAlternativeNames());
            }
            return sign(builder, issuerKey);
        } catch (GeneralSecurityException | CertIOException e) {
            throw new PkiException("cannot sign a certificate for " + template.subject() + ": " + e.getMessage(), e);
        }
    }

    public X509Certificate issuer() {
        return issuer;
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signingKey)
            throws GeneralSecurityException {
        try {
            ContentSigner signer = new JcaContentSignerBuilder(signatureAlgorithm(signingKey)).build(signingKey);
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    /** SHA-256 with the key's own algorithm, so an operator-supplied RSA CA signs as well as the platform's EC one. */
    static String signatureAlgorithm(PrivateKey key) {
        return switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC", "ECDSA" -> "SHA256withECDSA";
            default -> throw new PkiException("cannot sign with a " + key.getAlgorithm() + " key; use an EC or RSA key");
        };
    }

    // Positive and at most 20 octets, as RFC 5280 requires, and unpredictable.
    private static BigInteger serialNumber() {
        return new BigInteger(159, RANDOM).setBit(158);
    }
}
