package io.platform.agent.trust;

import io.fabric8.kubernetes.api.model.Config;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.NamedCluster;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.platform.common.pki.PemFiles;
import io.platform.common.pki.PkiException;
import io.platform.common.tls.TrustedCas;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;

/**
 * Reads the CA bundle the cluster publishes in {@code kube-public/cluster-info} (the kubeconfig kubeadm's token
 * discovery reads, readable by anyone), over TLS verified with the CAs the agent trusts now: a bundle that did not
 * come from a server the agent already trusts is never returned.
 */
final class PublishedTrust {

    static final String PATH = "/api/v1/namespaces/kube-public/configmaps/cluster-info";

    /** What cluster-info holds: the CA certificates to trust and the cluster id, if it names one. */
    record Published(List<X509Certificate> authorities, @Nullable String clusterId) {}

    /** The API server answered, but not with a usable bundle; the message says why. */
    static final class UnusableException extends RuntimeException {

        UnusableException(String message) {
            super(message);
        }
    }

    private PublishedTrust() {}

    /**
     * The bundle published at {@code server}, empty when the cluster publishes none (no cluster-info yet).
     *
     * @throws IOException when the server cannot be reached or does not verify with {@code trusted}
     * @throws UnusableException when it answers something else than a bundle
     */
    static Optional<Published> read(String server, List<X509Certificate> trusted, Duration timeout)
            throws IOException, InterruptedException {
        if (trusted.isEmpty()) {
            throw new UnusableException("the agent's kubeconfig trusts no CA, so nothing read from " + server
                    + " can be verified");
        }
        URI uri = URI.create(server.replaceAll("/+$", "") + PATH);
        try (HttpClient http = HttpClient.newBuilder()
                .sslContext(TrustedCas.sslContext(trusted))
                .connectTimeout(timeout)
                .version(HttpClient.Version.HTTP_1_1)
                .build()) {
            // anonymous on purpose: cluster-info is readable by anyone, and the node's identity may be the very
            // thing the new trust is needed for
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(timeout)
                    .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
            return switch (response.statusCode()) {
                case 200 -> Optional.of(parse(response.body(), uri));
                case 404 -> Optional.empty();
                default -> throw new UnusableException("reading " + uri + " answered HTTP " + response.statusCode());
            };
        }
    }

    static Published parse(String body, URI uri) {
        ConfigMap configMap;
        try {
            configMap = Serialization.unmarshal(body, ConfigMap.class);
        } catch (JacksonException | IllegalArgumentException e) {
            throw new UnusableException(uri + " did not answer a ConfigMap: " + e.getMessage());
        }
        if (configMap == null || configMap.getData() == null || configMap.getData().get("kubeconfig") == null) {
            throw new UnusableException(uri + " holds no kubeconfig");
        }
        List<X509Certificate> authorities = authorities(configMap.getData().get("kubeconfig"), uri);
        String clusterId = configMap.getData().get("cluster-id");
        return new Published(authorities, clusterId == null || clusterId.isBlank() ? null : clusterId.strip());
    }

    private static List<X509Certificate> authorities(String kubeconfig, URI uri) {
        List<X509Certificate> authorities;
        try {
            Config config = Serialization.unmarshal(kubeconfig, Config.class);
            List<NamedCluster> clusters = config == null || config.getClusters() == null ? List.of() : config.getClusters();
            if (clusters.isEmpty() || clusters.getFirst().getCluster() == null
                    || clusters.getFirst().getCluster().getCertificateAuthorityData() == null) {
                throw new UnusableException("the kubeconfig of " + uri + " names no cluster CA");
            }
            String pem = new String(Base64.getDecoder().decode(
                    clusters.getFirst().getCluster().getCertificateAuthorityData().strip()), StandardCharsets.UTF_8);
            authorities = PemFiles.parseCertificates(pem, uri + " certificate-authority-data");
        } catch (JacksonException | IllegalArgumentException | PkiException e) {
            throw new UnusableException("cannot read the cluster CA from " + uri + ": " + e.getMessage());
        }
        for (X509Certificate authority : authorities) {
            if (authority.getBasicConstraints() < 0) {
                throw new UnusableException("the bundle of " + uri + " holds " + authority.getSubjectX500Principal()
                        + ", which is not a CA certificate");
            }
        }
        if (authorities.isEmpty()) {
            throw new UnusableException("the bundle of " + uri + " is empty");
        }
        return authorities;
    }
}
