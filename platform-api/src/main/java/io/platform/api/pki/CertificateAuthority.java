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
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The cluster's certificate authority: a self-signed ECDSA P-256 CA (CN {@code platform-ca}, valid
 * ten years) that issues one-year ECDSA P-256 leaf certificates for servers and clients.
 *
 * <p>P-256 with SHA-256 is accepted by Go's crypto/tls (kubectl), the JDK and Netty alike; like
 * kubeadm's certificates, client certificates carry the user in CN and the groups in O.
 */
public final class CertificateAuthority {

    public static final String CA_COMMON_NAME = "platform-ca";
    static final String CA_CERT_FILE = "ca.crt";
    static final String CA_KEY_FILE = "ca.key";

    private static final Duration CA_VALIDITY = Duration.ofDays(3650);
    private static final Duration LEAF_VALIDITY = Duration.ofDays(365);
    // Backdated a little so a peer whose clock is slightly behind still accepts a fresh certificate.
    private static final Duration BACKDATE = Duration.ofMinutes(5);
    private static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final X509Certificate certificate;
    private final PrivateKey privateKey;
    private final Clock clock;

    private CertificateAuthority(X509Certificate certificate, PrivateKey privateKey, Clock clock) {
        this.certificate = certificate;
        this.privateKey = privateKey;
        this.clock = clock;
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
            return new CertificateAuthority(stored.certificate(), stored.privateKey(), clock);
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
        KeyPair keys = newKeyPair();
        X500Name name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, CA_COMMON_NAME).build();
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
            return new CertificateAuthority(sign(builder, keys.getPrivate()), keys.getPrivate(), clock);
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
        Instant now = clock.instant();
        Instant notAfter = now.plus(LEAF_VALIDITY);
        // A leaf never outlives its issuer: verifiers would reject the chain after the CA expires.
        if (notAfter.isAfter(certificate.getNotAfter().toInstant())) {
            notAfter = certificate.getNotAfter().toInstant();
        }
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(certificate, serialNumber(),
                    Date.from(now.minus(BACKDATE)), Date.from(notAfter), subject.build(), keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true,
                            new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(keys.getPublic()))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            extensions.createAuthorityKeyIdentifier(certificate));
            List<GeneralName> sans = new ArrayList<>();
            dnsNames.forEach(dns -> sans.add(new GeneralName(GeneralName.dNSName, dns)));
            ipAddresses.forEach(ip -> sans.add(new GeneralName(GeneralName.iPAddress, CertificateNames.stripBrackets(ip))));
            if (!sans.isEmpty()) {
                builder.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(sans.toArray(GeneralName[]::new)));
            }
            return new IssuedCertificate(sign(builder, privateKey), keys.getPrivate());
        } catch (GeneralSecurityException | CertIOException e) {
            throw new PkiException("cannot issue a certificate for " + cn + ": " + e.getMessage(), e);
        }
    }

    /** The same CA reading time from {@code other}. */
    CertificateAuthority withClock(Clock other) {
        return new CertificateAuthority(certificate, privateKey, other);
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
        try {
            candidate.verify(certificate.getPublicKey());
            candidate.checkValidity(Date.from(clock.instant()));
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
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
