package io.platform.common.tls;

import io.platform.common.pki.PemFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/** Certificates for tests, made with BouncyCastle: CAs, client and serving certificates, their PEM and files. */
public final class TestCertificates {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** A certificate with its key pair. */
    public record Issued(X509Certificate certificate, KeyPair keys) {

        public String certificatePem() {
            return pem(certificate);
        }

        /** EC keys as SEC1 ({@code EC PRIVATE KEY}), as the platform's kubeconfigs hold them; RSA as PKCS#8. */
        public String keyPem() {
            try {
                if (keys.getPrivate() instanceof ECPrivateKey ec) {
                    // with the curve and the public key inside, as OpenSSL, Go and the platform write it
                    SubjectPublicKeyInfo publicKey = SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded());
                    return pem(new PemObject("EC PRIVATE KEY", new org.bouncycastle.asn1.sec.ECPrivateKey(
                            ec.getParams().getOrder().bitLength(), ec.getS(), publicKey.getPublicKeyData(),
                            publicKey.getAlgorithm().getParameters()).getEncoded()));
                }
                return pem(new JcaPKCS8Generator(keys.getPrivate(), null).generate());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public BigInteger serial() {
            return certificate.getSerialNumber();
        }
    }

    /** A CA that issues certificates. */
    public record Authority(Issued self) {

        public static Authority create(String commonName) {
            KeyPair keys = ecKeys();
            X500Name name = new X500Name("CN=" + commonName);
            return new Authority(new Issued(build(name, keys, name, keys, builder -> builder
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.digitalSignature))),
                    keys));
        }

        public X509Certificate certificate() {
            return self.certificate();
        }

        /** A client certificate: CN the user, O each group, with an EC key (or RSA when {@code rsa}). */
        public Issued client(String commonName, boolean rsa) {
            KeyPair keys = rsa ? rsaKeys() : ecKeys();
            return new Issued(build(subject(this), self.keys(), new X500Name("CN=" + commonName), keys, builder -> builder
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth))),
                    keys);
        }

        /** A serving certificate for 127.0.0.1 and localhost. */
        public Issued server() {
            KeyPair keys = ecKeys();
            return new Issued(build(subject(this), self.keys(), new X500Name("CN=test-server"), keys, builder -> builder
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                            new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                            new GeneralName(GeneralName.dNSName, "localhost")}))),
                    keys);
        }

        private static X500Name subject(Authority authority) {
            return X500Name.getInstance(authority.certificate().getSubjectX500Principal().getEncoded());
        }
    }

    private interface Extensions {
        X509v3CertificateBuilder add(X509v3CertificateBuilder builder) throws IOException;
    }

    private TestCertificates() {}

    /** A server context presenting {@code serving} and asking clients for certificates by {@code trusted} CAs. */
    public static SSLContext serverContext(Issued serving, List<X509Certificate> trusted) {
        try {
            char[] password = "test".toCharArray();
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(null, null);
            keyStore.setKeyEntry("server", serving.keys().getPrivate(), password,
                    new X509Certificate[] {serving.certificate()});
            KeyStore trustStore = KeyStore.getInstance("PKCS12");
            trustStore.load(null, null);
            for (int i = 0; i < trusted.size(); i++) {
                trustStore.setCertificateEntry("ca-" + i, trusted.get(i));
            }
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keyStore, password);
            TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(trustStore);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String pem(Object object) {
        return PemFiles.writePem(object);
    }

    /** Writes as the platform's writers do: a temporary file in the same folder moved over the target atomically. */
    public static void writeAtomically(Path file, String content) {
        PemFiles.write(file, content, PemFiles.WORLD_READABLE);
    }

    private static X509Certificate build(X500Name issuer, KeyPair issuerKeys, X500Name subject, KeyPair keys,
            Extensions extensions) {
        Instant now = Instant.now();
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, RANDOM).abs(),
                    Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(1))), subject,
                    keys.getPublic());
            String algorithm = issuerKeys.getPrivate().getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
            return new JcaX509CertificateConverter().getCertificate(extensions.add(builder)
                    .build(new JcaContentSignerBuilder(algorithm).build(issuerKeys.getPrivate())));
        } catch (IOException | GeneralSecurityException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair ecKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair rsaKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
