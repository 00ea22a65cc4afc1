package io.platform.common.tls;

import io.platform.common.tls.PemSslBundles.Pem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ssl.DefaultSslBundleRegistry;
import org.springframework.boot.ssl.SslBundle;

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

    private final ReloadingMaterial<SslBundle> material;

    /** Registers the bundle {@code name} in {@code registry} from the files now; throws when they are unusable. */
    public ReloadingSslBundle(DefaultSslBundleRegistry registry, String name, Path certificate, Path key, Path trustedCas,
            Duration interval) {
        this.material = new ReloadingMaterial<>(name, pemFiles(certificate, key, trustedCas), bundle -> {
            registry.updateBundle(name, bundle);
            log.info("serving the renewed certificate {}", certificate);
        });
        registry.registerBundle(name, material.current());
        material.pollEvery(interval);
    }

    /** The PEM files of a certificate, its key and the CAs to trust, read as one bundle. */
    public static ReloadingMaterial.Source<SslBundle> pemFiles(Path certificate, Path key, Path trustedCas) {
        return new ReloadingMaterial.Source<>() {
            @Override
            public List<Path> files() {
                return List.of(certificate, key, trustedCas);
            }

            @Override
            public SslBundle read() {
                return PemSslBundles.of(read(certificate), read(key), read(trustedCas));
            }

            private static Pem read(Path file) {
                try {
                    return new Pem(Files.readString(file, StandardCharsets.UTF_8), file.toString());
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
                }
            }
        };
    }

    /** Updates the registry's bundle when the files changed into a usable pair; true when it did. */
    public boolean reloadIfChanged() {
        return material.reloadIfChanged();
    }

    @Override
    public void close() {
        material.close();
    }
}
