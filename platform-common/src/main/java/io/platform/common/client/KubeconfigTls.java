package io.platform.common.client;

import io.fabric8.kubernetes.api.model.AuthInfo;
import io.fabric8.kubernetes.api.model.Cluster;
import io.fabric8.kubernetes.api.model.Config;
import io.fabric8.kubernetes.api.model.NamedAuthInfo;
import io.fabric8.kubernetes.api.model.NamedCluster;
import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.platform.common.tls.PemSslBundles;
import io.platform.common.tls.PemSslBundles.Pem;
import io.platform.common.tls.ReloadingMaterial;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.ssl.SslBundle;

/**
 * The TLS material of a kubeconfig's current context, as kubectl reads it: the cluster's CA
 * ({@code certificate-authority-data}, else the file {@code certificate-authority}, else the JDK's default trust) and
 * the user's client certificate and key (embedded {@code -data}, else files, relative to the kubeconfig's folder),
 * or no client certificate for users with tokens. The files named are watched with the kubeconfig.
 */
final class KubeconfigTls implements ReloadingMaterial.Source<SslBundle> {

    private static final KubernetesSerialization YAML = new KubernetesSerialization();

    private record Selected(Cluster cluster, @Nullable AuthInfo user) {}

    private final Path kubeconfig;

    KubeconfigTls(Path kubeconfig) {
        this.kubeconfig = kubeconfig.toAbsolutePath().normalize();
    }

    @Override
    public List<Path> files() {
        List<Path> files = new ArrayList<>(List.of(kubeconfig));
        try {
            Selected selected = select(parse(read(kubeconfig)));
            AuthInfo user = selected.user();
            Stream.of(selected.cluster().getCertificateAuthority(), user == null ? null : user.getClientCertificate(),
                            user == null ? null : user.getClientKey())
                    .filter(file -> file != null && !file.isBlank())
                    .map(this::resolve)
                    .forEach(files::add);
        } catch (IllegalArgumentException | UncheckedIOException e) {
            // the kubeconfig alone then: reading it reports what is wrong, and its next version is a change
        }
        return files;
    }

    @Override
    public SslBundle read() {
        Selected selected = select(parse(read(kubeconfig)));
        Cluster cluster = selected.cluster();
        if (Boolean.TRUE.equals(cluster.getInsecureSkipTlsVerify())) {
            throw new IllegalArgumentException(kubeconfig + " turns server certificate verification off"
                    + " (insecure-skip-tls-verify), which a client that verifies does not follow");
        }
        Pem trusted = pem(cluster.getCertificateAuthorityData(), cluster.getCertificateAuthority(), "certificate-authority");
        AuthInfo user = selected.user();
        if (user == null) {
            return PemSslBundles.client(null, null, trusted);
        }
        return PemSslBundles.client(pem(user.getClientCertificateData(), user.getClientCertificate(), "client-certificate"),
                pem(user.getClientKeyData(), user.getClientKey(), "client-key"), trusted);
    }

    private Config parse(String content) {
        Config config;
        try {
            config = YAML.unmarshal(content, Config.class);
        } catch (RuntimeException e) {
            // YAML parsers explain over several lines; the first says what is wrong
            String reason = String.valueOf(e.getMessage()).lines().findFirst().orElse(e.getClass().getSimpleName());
            throw new IllegalArgumentException(kubeconfig + " is not a kubeconfig: " + reason, e);
        }
        if (config == null) {
            throw new IllegalArgumentException(kubeconfig + " is empty");
        }
        return config;
    }

    private Selected select(Config config) {
        String contextName = config.getCurrentContext();
        if (contextName == null || contextName.isBlank()) {
            throw new IllegalArgumentException(kubeconfig + " names no current-context");
        }
        NamedContext context = named(config.getContexts(), contextName, NamedContext::getName, "context");
        String clusterName = context.getContext() == null ? null : context.getContext().getCluster();
        NamedCluster cluster = named(config.getClusters(), clusterName, NamedCluster::getName, "cluster");
        if (cluster.getCluster() == null) {
            throw new IllegalArgumentException(kubeconfig + " has an empty cluster " + clusterName);
        }
        String userName = context.getContext() == null ? null : context.getContext().getUser();
        if (userName == null || userName.isBlank()) {
            return new Selected(cluster.getCluster(), null);
        }
        return new Selected(cluster.getCluster(),
                named(config.getUsers(), userName, NamedAuthInfo::getName, "user").getUser());
    }

    private <T> T named(@Nullable List<T> entries, @Nullable String name, Function<T, String> nameOf,
            String kind) {
        return Objects.requireNonNullElse(entries, List.<T>of()).stream()
                .filter(entry -> Objects.equals(nameOf.apply(entry), name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(kubeconfig + " has no " + kind + " named " + name));
    }

    private @Nullable Pem pem(@Nullable String data, @Nullable String file, String field) {
        if (data != null && !data.isBlank()) {
            try {
                return new Pem(new String(Base64.getMimeDecoder().decode(data.trim()), StandardCharsets.UTF_8),
                        kubeconfig + " " + field + "-data");
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(kubeconfig + " " + field + "-data is not base64: " + e.getMessage(), e);
            }
        }
        if (file != null && !file.isBlank()) {
            Path path = resolve(file);
            return new Pem(read(path), path.toString());
        }
        return null;
    }

    /** Relative paths are relative to the kubeconfig's folder, as kubectl resolves them. */
    Path resolve(String file) {
        return kubeconfig.getParent().resolve(file).normalize();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
