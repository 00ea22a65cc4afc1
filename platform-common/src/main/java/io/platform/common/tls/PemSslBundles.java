package io.platform.common.tls;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.pem.PemSslStore;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;

/** {@link SslBundle}s from PEM text: a certificate chain with its key, and the CAs to trust. */
public final class PemSslBundles {

    /** PEM text and where it came from, for messages ({@code /data/pki/ca.crt}, {@code x.kubeconfig client-key-data}). */
    public record Pem(String text, String source) {}

    private PemSslBundles() {}

    /** A certificate (chain), the key of that certificate, and the CAs to trust (a server: its clients' CAs). */
    public static SslBundle of(Pem certificate, Pem key, Pem trustedCas) {
        return bundle(certificate, key, trustedCas);
    }

    /**
     * A client's material: a client certificate and its key, or neither (the client authenticates otherwise, e.g.
     * with a bearer token), and the CAs it trusts, or none for the JDK's default trust store.
     */
    public static SslBundle client(@Nullable Pem certificate, @Nullable Pem key, @Nullable Pem trustedCas) {
        if ((certificate == null) != (key == null)) {
            Pem given = certificate != null ? certificate : key;
            throw new IllegalArgumentException(given.source() + " needs both a client certificate and its key");
        }
        return bundle(certificate, key, trustedCas);
    }

    /** The certificate a bundle presents, if it has one. */
    public static @Nullable X509Certificate certificate(SslBundle bundle) {
        List<X509Certificate> certificates = certificates(bundle.getStores().getKeyStore());
        return certificates.isEmpty() ? null : certificates.getFirst();
    }

    /** The CA certificates a bundle trusts; empty when it trusts the JDK's default CAs. */
    public static List<X509Certificate> trusted(SslBundle bundle) {
        return certificates(bundle.getStores().getTrustStore());
    }

    private static List<X509Certificate> certificates(@Nullable KeyStore store) {
        if (store == null) {
            return List.of();
        }
        try {
            List<X509Certificate> certificates = new ArrayList<>();
            for (String alias : Collections.list(store.aliases())) {
                if (store.getCertificate(alias) instanceof X509Certificate certificate) {
                    certificates.add(certificate);
                }
            }
            return certificates;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the key store of an SSL bundle: " + e.getMessage(), e);
        }
    }

    private static SslBundle bundle(@Nullable Pem certificate, @Nullable Pem key, @Nullable Pem trustedCas) {
        PemSslStore keyStore = null;
        if (certificate != null && key != null) {
            List<X509Certificate> chain = certificates(certificate);
            PrivateKey privateKey = privateKey(key);
            if (!belongTogether(privateKey, chain.getFirst().getPublicKey())) {
                throw new KeyMismatchException(key.source() + " is not the key of " + certificate.source());
            }
            keyStore = PemSslStore.of(chain, privateKey);
        }
        PemSslStore trustStore = trustedCas == null ? null : PemSslStore.of(certificates(trustedCas), null);
        return SslBundle.of(new PemSslStoreBundle(keyStore, trustStore));
    }

    private static List<X509Certificate> certificates(Pem pem) {
        List<X509Certificate> certificates = new ArrayList<>();
        try {
            for (Object object : objects(pem)) {
                if (object instanceof X509CertificateHolder holder) {
                    certificates.add(new JcaX509CertificateConverter().getCertificate(holder));
                }
            }
        } catch (CertificateException e) {
            throw new IllegalArgumentException(pem.source() + " holds an unreadable certificate: " + e.getMessage(), e);
        }
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException(pem.source() + " holds no PEM certificate");
        }
        return certificates;
    }

    /** PKCS#8, SEC1 ({@code EC PRIVATE KEY}, the platform's kubeconfigs) and PKCS#1, after any parameter blocks. */
    private static PrivateKey privateKey(Pem pem) {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try {
            for (Object object : objects(pem)) {
                if (object instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
                if (object instanceof PEMKeyPair pair) {
                    return converter.getPrivateKey(pair.getPrivateKeyInfo());
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(pem.source() + " holds an unreadable private key: " + e.getMessage(), e);
        }
        throw new IllegalArgumentException(pem.source() + " holds no unencrypted private key");
    }

    private static List<Object> objects(Pem pem) {
        List<Object> objects = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new StringReader(pem.text()))) {
            for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                objects.add(object);
            }
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            throw new IllegalArgumentException(pem.source() + " is not readable PEM: " + e.getMessage(), e);
        }
        return objects;
    }

    private static boolean belongTogether(PrivateKey privateKey, PublicKey publicKey) {
        String algorithm = switch (privateKey.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> privateKey.getAlgorithm();
        };
        byte[] probe = "key pair probe".getBytes(StandardCharsets.UTF_8);
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(privateKey);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
