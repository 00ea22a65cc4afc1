package io.platform.api.pki;

import io.platform.common.pki.CertificateNames;
import io.platform.common.pki.CertificateSigner;
import io.platform.common.pki.CertificateTemplate;
import io.platform.common.pki.KeyPairs;
import io.platform.common.pki.PemFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
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
        KeyPair keys = KeyPairs.ecP256();
        Instant now = clock.instant();
        X509Certificate certificate = CertificateSigner.selfSignedCa(keys, commonName, now.minus(BACKDATE),
                now.plus(CA_VALIDITY));
        return new CertificateAuthority(certificate, keys.getPrivate(), clock, DEFAULT_LEAF_VALIDITY);
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
        KeyPair keys = KeyPairs.ecP256();
        X509Certificate issued = signLeaf(CertificateNames.subject(cn, orgs), keys.getPublic(),
                CertificateNames.subjectAlternativeNames(dnsNames, ipAddresses), List.of(purpose));
        return new IssuedCertificate(issued, keys.getPrivate());
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
                    usages == null ? List.of() : List.of(ExtendedKeyUsage.getInstance(usages.getParsedValue()).getUsages()));
        } catch (GeneralSecurityException e) {
            throw new PkiException("cannot re-issue the certificate of " + existing.getSubjectX500Principal().getName()
                    + ": " + e.getMessage(), e);
        }
    }

    /** {@link #reissue(X509Certificate, PublicKey)} for a new key pair. */
    public IssuedCertificate reissueWithNewKey(X509Certificate existing) {
        KeyPair keys = KeyPairs.ecP256();
        return new IssuedCertificate(reissue(existing, keys.getPublic()), keys.getPrivate());
    }

    // Digital signature and key encipherment, as kubeadm's leaf certificates; the signer caps the validity at the CA's.
    private X509Certificate signLeaf(X500Name subject, PublicKey publicKey, @Nullable GeneralNames sans,
            List<KeyPurposeId> usages) {
        Instant now = clock.instant();
        return new CertificateSigner(certificate, privateKey).sign(new CertificateTemplate(subject, publicKey,
                now.minus(BACKDATE), now.plus(leafValidity), KeyUsage.digitalSignature | KeyUsage.keyEncipherment,
                usages, sans));
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
}
