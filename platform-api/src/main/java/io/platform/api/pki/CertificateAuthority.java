package io.platform.api.pki;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.jspecify.annotations.Nullable;

/**
 * The cluster's certificate authority: a self-signed ECDSA P-256 CA (CN {@code platform-ca}, valid
 * ten years) that issues ECDSA P-256 leaf certificates for servers and clients, valid one year unless
 * {@link #withLeafValidity} says otherwise (never beyond the CA's own expiry).
 *
 * <p>P-256 with SHA-256 is accepted by Go's crypto/tls (kubectl), the JDK and Netty alike; like
 * kubeadm's certificates, client certificates carry the user in CN and the groups in O.
 */
public final class CertificateAuthority {

    public static final String CA_COMMON_NAME = "platform-ca";
    static final String CA_CERT_FILE = "ca.crt";
    static final String CA_KEY_FILE = "ca.key";

    public static final Duration CA_VALIDITY = Duration.ofDays(3650);
    public static final Duration DEFAULT_LEAF_VALIDITY = Duration.ofDays(365);
    // Backdated a little so a peer whose clock is slightly behind still accepts a fresh certificate.
    private static final Duration BACKDATE = Duration.ofMinutes(5);
    private static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final X509Certificate certificate;
    private final PrivateKey privateKey;
    private final Clock clock;
    private final Duration leafValidity;

    private CertificateAuthority(X509Certificate certificate, PrivateKey privateKey, Clock clock, Duration leafValidity) {
        if (leafValidity.isZero() || leafValidity.isNegative()) {
            throw new IllegalArgumentException("a leaf certificate must be valid for some time, got " + leafValidity);
        }
        this.certificate = certificate;
        this.privateKey = privateKey;
        this.clock = clock;
        this.leafValidity = leafValidity;
    }

    /**
     * Loads {@code ca.crt} and {@code ca.key} from {@code pkiDir}, or creates and writes them when
     * neither exists. One without the other is an error: silently replacing a CA would invalidate
     * every certificate and kubeconfig handed out before.
     */
    public static CertificateAuthority loadOrCreate(Path pkiDir) {
        return loadOrCreate(pkiDir, Clock.systemUTC());
    }

    public static CertificateAuthority loadOrCreate(Path pkiDir, Clock clock) {
        Path certFile = pkiDir.resolve(CA_CERT_FILE);
        Path keyFile = pkiDir.resolve(CA_KEY_FILE);
        boolean certExists = Files.exists(certFile);
        boolean keyExists = Files.exists(keyFile);
        if (certExists && keyExists) {
            IssuedCertificate stored = IssuedCertificate.read(certFile, keyFile);
            return new CertificateAuthority(stored.certificate(), stored.privateKey(), clock, DEFAULT_LEAF_VALIDITY);
        }
        if (certExists || keyExists) {
            throw new PkiException("found only one of " + certFile + " and " + keyFile
                    + "; restore the missing file or remove both to create a new cluster CA");
        }
        PemFiles.createPrivateDirectory(pkiDir);
        CertificateAuthority authority = create(clock);
        new IssuedCertificate(authority.certificate, authority.privateKey).writeTo(certFile, keyFile);
        return authority;
    }

    /** A new CA held in memory only. */
    public static CertificateAuthority create(Clock clock) {
        return create(clock, CA_COMMON_NAME);
    }

    /**
     * A new CA named {@code commonName}, held in memory only. A CA replacing another during a rotation gets a
     * name of its own, so verifiers trusting both never confuse the two issuers.
     */
    public static CertificateAuthority create(Clock clock, String commonName) {
        KeyPair keys = newKeyPair();
        X500Name name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
        Instant now = clock.instant();
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serialNumber(),
                    Date.from(now.minus(BACKDATE)), Date.from(now.plus(CA_VALIDITY)), name, keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true,
                            new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(keys.getPublic()));
            return new CertificateAuthority(sign(builder, keys.getPrivate()), keys.getPrivate(), clock,
                    DEFAULT_LEAF_VALIDITY);
        } catch (GeneralSecurityException | CertIOException e) {
            throw new PkiException("cannot create the cluster CA: " + e.getMessage(), e);
        }
    }

    /** A client certificate: CN is the user name, each O a group (as the Kubernetes x509 authenticator reads them). */
    public IssuedCertificate issueClient(String cn, List<String> orgs) {
        return issue(cn, orgs, List.of(), List.of(), KeyPurposeId.id_kp_clientAuth);
    }

    /** A serving certificate whose SANs are the given DNS names and IP addresses. */
    public IssuedCertificate issueServer(String cn, List<String> dnsNames, List<String> ipAddresses) {
        if (dnsNames.isEmpty() && ipAddresses.isEmpty()) {
            throw new IllegalArgumentException("a serving certificate needs at least one DNS name or IP address");
        }
        return issue(cn, List.of(), dnsNames, ipAddresses, KeyPurposeId.id_kp_serverAuth);
    }

    private IssuedCertificate issue(String cn, List<String> orgs, List<String> dnsNames, List<String> ipAddresses,
            KeyPurposeId purpose) {
        if (cn.isBlank()) {
            throw new IllegalArgumentException("a certificate needs a common name");
        }
        KeyPair keys = newKeyPair();
        X500NameBuilder subject = new X500NameBuilder(BCStyle.INSTANCE);
        orgs.forEach(org -> subject.addRDN(BCStyle.O, org));
        subject.addRDN(BCStyle.CN, cn);
        List<GeneralName> sans = new ArrayList<>();
        dnsNames.forEach(dns -> sans.add(new GeneralName(GeneralName.dNSName, dns)));
        ipAddresses.forEach(ip -> sans.add(new GeneralName(GeneralName.iPAddress, CertificateNames.stripBrackets(ip))));
        try {
            X509Certificate issued = signLeaf(subject.build(), keys.getPublic(),
                    sans.isEmpty() ? null : new GeneralNames(sans.toArray(GeneralName[]::new)),
                    new ExtendedKeyUsage(purpose));
            return new IssuedCertificate(issued, keys.getPrivate());
        } catch (GeneralSecurityException | CertIOException e) {
            throw new PkiException("cannot issue a certificate for " + cn + ": " + e.getMessage(), e);
        }
    }

    /**
     * A new certificate for {@code publicKey} with the subject, subject alternative names and extended key
     * usages of {@code existing}, signed by this CA and valid from now: what a renewal or a CA rotation writes in
     * place of a certificate, for the same key or a new one.
     */
    public X509Certificate reissue(X509Certificate existing, PublicKey publicKey) {
        try {
            X509CertificateHolder holder = new JcaX509CertificateHolder(existing);
            Extension sans = holder.getExtension(Extension.subjectAlternativeName);
            Extension usages = holder.getExtension(Extension.extendedKeyUsage);
            return signLeaf(holder.getSubject(), publicKey,
                    sans == null ? null : GeneralNames.getInstance(sans.getParsedValue()),
                    usages == null ? null : ExtendedKeyUsage.getInstance(usages.getParsedValue()));
        } catch (GeneralSecurityException | CertIOException e) {
            throw new PkiException("cannot re-issue the certificate of " + existing.getSubjectX500Principal().getName()
                    + ": " + e.getMessage(), e);
        }
    }

    /** {@link #reissue(X509Certificate, PublicKey)} for a new key pair. */
    public IssuedCertificate reissueWithNewKey(X509Certificate existing) {
        KeyPair keys = newKeyPair();
        return new IssuedCertificate(reissue(existing, keys.getPublic()), keys.getPrivate());
    }

    private X509Certificate signLeaf(X500Name subject, PublicKey publicKey, @Nullable GeneralNames sans,
            @Nullable ExtendedKeyUsage usages) throws GeneralSecurityException, CertIOException {
        Instant now = clock.instant();
        Instant notAfter = now.plus(leafValidity);
        // A leaf never outlives its issuer: verifiers would reject the chain after the CA expires.
        if (notAfter.isAfter(certificate.getNotAfter().toInstant())) {
            notAfter = certificate.getNotAfter().toInstant();
        }
        JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()), serialNumber(),
                Date.from(now.minus(BACKDATE)), Date.from(notAfter), subject, publicKey)
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(Extension.keyUsage, true,
                        new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
                .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(publicKey))
                .addExtension(Extension.authorityKeyIdentifier, false,
                        extensions.createAuthorityKeyIdentifier(certificate));
        if (usages != null) {
            builder.addExtension(Extension.extendedKeyUsage, false, usages);
        }
        if (sans != null) {
            builder.addExtension(Extension.subjectAlternativeName, false, sans);
        }
        return sign(builder, privateKey);
    }

    /** The same CA reading time from {@code other}. */
    CertificateAuthority withClock(Clock other) {
        return new CertificateAuthority(certificate, privateKey, other, leafValidity);
    }

    /** The same CA issuing leaf certificates valid for {@code validity} (one year by default). */
    public CertificateAuthority withLeafValidity(Duration validity) {
        return new CertificateAuthority(certificate, privateKey, clock, validity);
    }

    public Duration leafValidity() {
        return leafValidity;
    }

    public PrivateKey privateKey() {
        return privateKey;
    }

    /** Writes the CA's certificate (0644) and key (0600) into {@code pkiDir}, replacing the current CA there. */
    void writeTo(Path pkiDir) {
        new IssuedCertificate(certificate, privateKey).writeTo(pkiDir.resolve(CA_CERT_FILE), pkiDir.resolve(CA_KEY_FILE));
    }

    public X509Certificate certificate() {
        return certificate;
    }

    public String certificatePem() {
        return PemFiles.certificatePem(certificate);
    }

    /** A key store holding only the CA certificate, for trust managers that must trust the cluster. */
    public KeyStore trustStore() {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry(CA_COMMON_NAME, certificate);
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new PkiException("cannot build a trust store for the cluster CA: " + e.getMessage(), e);
        }
    }

    /** True when {@code candidate} carries this CA's valid signature and is within its validity period. */
    public boolean issued(X509Certificate candidate) {
        return issuedByAnyOf(candidate, List.of(certificate));
    }

    /**
     * True when {@code candidate} is within its validity period and carries the valid signature of one of
     * {@code issuers} (during a CA rotation: this CA or the previous one).
     */
    public boolean issuedByAnyOf(X509Certificate candidate, List<X509Certificate> issuers) {
        try {
            candidate.checkValidity(Date.from(clock.instant()));
        } catch (GeneralSecurityException e) {
            return false;
        }
        for (X509Certificate issuer : issuers) {
            try {
                candidate.verify(issuer.getPublicKey());
                return true;
            } catch (GeneralSecurityException e) {
                // signed by another issuer of the list, or by none
            }
        }
        return false;
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signingKey)
            throws GeneralSecurityException {
        try {
            ContentSigner signer = new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).build(signingKey);
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new PkiException("the JDK offers no EC P-256 key generator: " + e.getMessage(), e);
        }
    }

    // Positive and at most 20 octets, as RFC 5280 requires, and unpredictable.
    private static BigInteger serialNumber() {
        return new BigInteger(159, RANDOM).setBit(158);
    }
}
