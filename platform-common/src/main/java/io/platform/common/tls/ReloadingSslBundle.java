package io.platform.common.tls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ssl.DefaultSslBundleRegistry;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.pem.PemContent;
import org.springframework.boot.ssl.pem.PemSslStore;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;

/**
 * A server's TLS material from PEM files (certificate, key, trusted client CAs, e.g. {@code pki/ca-bundle.crt}) as
 * a named bundle of a {@link DefaultSslBundleRegistry}, read again every {@code interval}: when the files changed
 * and the key belongs to the certificate, the registry's bundle is updated and a Netty server built from that
 * registry serves the new material to new connections, so a renewed certificate or a rotated CA bundle needs no
 * restart (as the kubelet and kube-apiserver pick up rotated serving certificates). A key not matching its
 * certificate (a renewal writes the two files one after the other) is skipped until the pair is whole.
 */
public final class ReloadingSslBundle implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ReloadingSslBundle.class);

    private final DefaultSslBundleRegistry registry;
    private final String name;
    private final Path certificate;
    private final Path key;
    private final Path trustedCas;
    private final @Nullable ScheduledExecutorService poller;
    private volatile String served;
    private volatile @Nullable String refused;

    /** Registers the bundle {@code name} in {@code registry} from the files now; throws when they are unusable. */
    public ReloadingSslBundle(DefaultSslBundleRegistry registry, String name, Path certificate, Path key, Path trustedCas,
            Duration interval) {
        this.registry = registry;
        this.name = name;
        this.certificate = certificate;
        this.key = key;
        this.trustedCas = trustedCas;
        String fingerprint = fingerprint();
        registry.registerBundle(name, load());
        this.served = fingerprint;
        if (interval.isZero() || interval.isNegative()) {
            this.poller = null;
        } else {
            this.poller = Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().daemon().name("tls-reload-" + name).factory());
            poller.scheduleWithFixedDelay(this::reloadIfChanged, interval.toMillis(), interval.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    /** Updates the registry's bundle when the files changed into a usable pair; true when it did. */
    public boolean reloadIfChanged() {
        String fingerprint;
        try {
            fingerprint = fingerprint();
        } catch (UncheckedIOException e) {
            return false;
        }
        if (fingerprint.equals(served)) {
            return false;
        }
        try {
            registry.updateBundle(name, load());
            served = fingerprint;
            refused = null;
            log.info("serving the renewed certificate {}", certificate);
            return true;
        } catch (UncheckedIOException | IllegalArgumentException | IllegalStateException e) {
            // a renewal writes key and certificate one after the other: warn only when a mismatch persists
            if (fingerprint.equals(refused)) {
                log.warn("keeping the served certificate of {}: {}", name, e.getMessage());
            }
            refused = fingerprint;
            return false;
        }
    }

    private SslBundle load() {
        List<X509Certificate> chain = pem(certificate).getCertificates();
        PrivateKey privateKey = pem(key).getPrivateKey();
        List<X509Certificate> cas = pem(trustedCas).getCertificates();
        if (chain.isEmpty()) {
            throw new IllegalArgumentException(certificate + " holds no certificate");
        }
        if (privateKey == null) {
            throw new IllegalArgumentException(key + " holds no private key");
        }
        if (cas.isEmpty()) {
            throw new IllegalArgumentException(trustedCas + " holds no CA certificate");
        }
        if (!belongTogether(privateKey, chain.getFirst().getPublicKey())) {
            throw new IllegalArgumentException(key + " is not the key of " + certificate);
        }
        return SslBundle.of(new PemSslStoreBundle(PemSslStore.of(chain, privateKey), PemSslStore.of(cas, null)));
    }

    private static PemContent pem(Path file) {
        try {
            return PemContent.of(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private String fingerprint() {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (Path file : List.of(certificate, key, trustedCas)) {
                digest.update(Files.readAllBytes(file));
                digest.update((byte) 0);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK offers no SHA-256", e);
        }
    }

    private static boolean belongTogether(PrivateKey privateKey, PublicKey publicKey) {
        String algorithm = privateKey.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        byte[] probe = "serving key probe".getBytes(StandardCharsets.UTF_8);
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

    @Override
    public void close() {
        if (poller != null) {
            poller.shutdownNow();
        }
    }
}
