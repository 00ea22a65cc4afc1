package io.platform.common.tls;

import io.platform.common.pki.KeyPairs;
import io.platform.common.pki.PemFiles;
import io.platform.common.pki.PkiException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
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
            if (!KeyPairs.belongTogether(privateKey, chain.getFirst().getPublicKey())) {
                throw new KeyMismatchException(key.source() + " is not the key of " + certificate.source());
            }
            keyStore = PemSslStore.of(chain, privateKey);
        }
        PemSslStore trustStore = trustedCas == null ? null : PemSslStore.of(certificates(trustedCas), null);
        return SslBundle.of(new PemSslStoreBundle(keyStore, trustStore));
    }

    private static List<X509Certificate> certificates(Pem pem) {
        try {
            return PemFiles.parseCertificates(pem.text(), pem.source());
        } catch (PkiException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static PrivateKey privateKey(Pem pem) {
        try {
            return PemFiles.parsePrivateKey(pem.text(), pem.source());
        } catch (PkiException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
