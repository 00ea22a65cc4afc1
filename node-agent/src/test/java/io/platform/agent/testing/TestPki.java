package io.platform.agent.testing;

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
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A throw-away CA with serving and client certificates, as the platform's PKI makes them. */
public final class TestPki {

    /** A key and its certificate. */
    public record Issued(PrivateKey key, X509Certificate certificate) {}

    private final Issued ca;

    public TestPki() {
        KeyPair keys = keyPair();
        this.ca = new Issued(keys.getPrivate(), sign("CN=test-cluster-ca", keys, keys.getPrivate(),
                new X500Name("CN=test-cluster-ca"), true, null));
    }

    public X509Certificate caCertificate() {
        return ca.certificate();
    }

    /** A certificate signed by this CA; {@code ipSan} adds an IP SAN (serving certificates). */
    public Issued issue(String subject, String... ipSans) {
        KeyPair keys = keyPair();
        return new Issued(keys.getPrivate(), sign(subject, keys, ca.key(),
                X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded()), false, ipSans));
    }

    /** A certificate that no CA of the cluster signed. */
    public static Issued selfSigned(String subject) {
        KeyPair keys = keyPair();
        return new Issued(keys.getPrivate(), sign(subject, keys, keys.getPrivate(), new X500Name(subject), false, null));
    }

    /** A client TLS context presenting {@code client} and trusting only this CA. */
    public SSLContext clientContext(Issued client) throws GeneralSecurityException, IOException {
        char[] password = "test".toCharArray();
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        keyStore.load(null, null);
        keyStore.setKeyEntry("client", client.key(), password, new Certificate[] {client.certificate()});
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(keyStore, password);
        KeyStore trustStore = KeyStore.getInstance("PKCS12");
        trustStore.load(null, null);
        trustStore.setCertificateEntry("ca", ca.certificate());
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trustStore);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), trust.getTrustManagers(), new SecureRandom());
        return context;
    }

    public static void writeCertificate(X509Certificate certificate, Path file) throws IOException {
        try {
            Files.writeString(file, pem("CERTIFICATE", certificate.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    public static void writeKey(PrivateKey key, Path file) throws IOException {
        Files.writeString(file, pem("PRIVATE KEY", key.getEncoded()));
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static KeyPair keyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate sign(String subject, KeyPair keys, PrivateKey signer, X500Name issuer, boolean ca,
            String[] ipSans) {
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer,
                BigInteger.valueOf(new SecureRandom().nextLong() & Long.MAX_VALUE),
                Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(1))),
                new X500Name(subject), keys.getPublic());
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            if (ca) {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            }
            if (ipSans != null && ipSans.length > 0) {
                GeneralName[] names = new GeneralName[ipSans.length + 1];
                for (int i = 0; i < ipSans.length; i++) {
                    names[i] = new GeneralName(GeneralName.iPAddress, ipSans[i]);
                }
                names[ipSans.length] = new GeneralName(GeneralName.dNSName, "localhost");
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            }
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
        } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot sign " + subject, e);
        }
    }
}
