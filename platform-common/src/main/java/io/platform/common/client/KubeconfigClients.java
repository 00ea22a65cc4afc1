package io.platform.common.client;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.platform.common.tls.PemSslBundles;
import io.platform.common.tls.ReloadingMaterial;
import io.platform.common.tls.ReloadingSslContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ssl.SslBundle;

/**
 * Builds the fabric8 clients our own components use, always from the platform's own kubeconfig
 * and never from {@code ~/.kube/config}, {@code KUBECONFIG} or system properties of whoever runs
 * the process.
 *
 * <p>A client follows its kubeconfig's TLS material as the kubelet follows its rotated client certificate: every
 * new connection uses the client certificate, key and trusted CAs the file (and the files it names) hold at that
 * moment, so {@code certs renew}, a CA rotation or a certificate obtained through a CSR need no restart. A version
 * that cannot be used keeps the previous material (one log line). The server URL, tokens and other settings are
 * read once, when the client is built.
 */
public final class KubeconfigClients {

    private static final Logger log = LoggerFactory.getLogger(KubeconfigClients.class);

    private KubeconfigClients() {}

    public static KubernetesClient fromFile(Path kubeconfig) {
        return fromFile(kubeconfig, config -> {});
    }

    /** A client of {@code kubeconfig} whose settings {@code adjust} changes first (timeouts, retries, ...). */
    public static KubernetesClient fromFile(Path kubeconfig, Consumer<Config> adjust) {
        Config config = config(kubeconfig);
        adjust.accept(config);
        KubernetesClientBuilder builder = new KubernetesClientBuilder().withConfig(config);
        if (config.getMasterUrl().startsWith("https:") && !config.isTrustCerts()) {
            builder.withHttpClientFactory(new FollowingTlsClientFactory(sslContext(kubeconfig)));
        }
        return builder.build();
    }

    /**
     * A client TLS context following the kubeconfig's current client certificate, key and CAs, for clients that are
     * not fabric8's; throws when the kubeconfig's TLS material is unusable now.
     */
    public static ReloadingSslContext sslContext(Path kubeconfig) {
        Path file = kubeconfig.toAbsolutePath().normalize();
        try {
            return ReloadingSslContext.following(new ReloadingMaterial<>(file.toString(), new KubeconfigTls(file),
                    bundle -> log.info("read the changed kubeconfig {}: {}", file, describe(bundle))));
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new IllegalArgumentException("cannot use the TLS settings of " + file + ": " + e.getMessage(), e);
        }
    }

    public static Config config(Path kubeconfig) {
        String content;
        try {
            content = Files.readString(kubeconfig);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read kubeconfig " + kubeconfig, e);
        }
        Config config = Config.fromKubeconfig(content);
        config.setAutoConfigure(false);
        // Relative file names in a kubeconfig are relative to its folder, as kubectl reads them.
        KubeconfigTls tls = new KubeconfigTls(kubeconfig);
        config.setCaCertFile(absolute(tls, config.getCaCertFile()));
        config.setClientCertFile(absolute(tls, config.getClientCertFile()));
        config.setClientKeyFile(absolute(tls, config.getClientKeyFile()));
        return config;
    }

    private static @Nullable String absolute(KubeconfigTls tls, @Nullable String file) {
        return file == null || file.isBlank() ? file : tls.resolve(file).toString();
    }

    private static String describe(SslBundle bundle) {
        X509Certificate certificate = PemSslBundles.certificate(bundle);
        String client = certificate == null ? "no client certificate"
                : "client certificate " + certificate.getSubjectX500Principal().getName() + " serial "
                        + certificate.getSerialNumber().toString(16);
        int trusted = PemSslBundles.trusted(bundle).size();
        return client + ", " + (trusted == 0 ? "the JDK's trusted CAs" : "trusting " + trusted + " CA certificates");
    }
}
