package io.platform.server;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Config;
import io.fabric8.kubernetes.api.model.ConfigBuilder;
import io.fabric8.kubernetes.api.model.NamedCluster;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.platform.common.pki.PemFiles;
import io.platform.common.pki.PkiException;
import io.platform.common.tls.TrustedCas;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;

/**
 * The {@code kube-public/cluster-info} ConfigMap of kubeadm's token discovery: a kubeconfig naming the API server and
 * the cluster CA, readable by anyone (Role and RoleBinding for {@code system:anonymous}), and one detached JWS per
 * bootstrap token ({@code jws-kubeconfig-<token-id>}, as upstream's bootstrap signer) proving that whoever serves it
 * knows the token. It also carries the cluster id, the label a joining node puts on its containers.
 *
 * <p>{@link #publish} writes it (the control plane side of {@code platform token}); {@link #discover} reads it as
 * {@code kubeadm join} does: without trusting the server, checks the token's signature and that the CA's public key
 * is one of the pinned hashes, then reads it again over TLS verified with that CA.
 */
final class ClusterInfo {

    static final String NAMESPACE = "kube-public";
    static final String NAME = "cluster-info";
    static final String KUBECONFIG = "kubeconfig";
    static final String CLUSTER_ID = "cluster-id";
    static final String SIGNATURE_PREFIX = "jws-kubeconfig-";
    /** kubeadm's names for the anonymous read access to cluster-info, with the platform's prefix. */
    static final String READER = "platform:bootstrap-signer-clusterinfo";
    static final String PATH = "/api/v1/namespaces/" + NAMESPACE + "/configmaps/" + NAME;

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration RETRY_PAUSE = Duration.ofSeconds(1);
    private static final int CONFLICT_RETRIES = 5;

    private ClusterInfo() {}

    /** What {@link #discover} verified: the cluster's CA certificates (PEM) and id. */
    record Discovered(List<X509Certificate> certificateAuthorities, String caPem, String clusterId) {}

    /** Join could not trust or reach the cluster; the message says why and what to do. */
    static final class DiscoveryException extends RuntimeException {

        DiscoveryException(String message) {
            super(message);
        }
    }

    /**
     * Writes cluster-info for {@code server} and the CAs of {@code caPem}, signed for every bootstrap token that may
     * sign and has not expired (signatures of others are dropped), and lets anonymous clients read it.
     */
    static void publish(KubernetesClient client, String server, String caPem, String clusterId, Clock clock) {
        ensureAnonymousRead(client);
        String kubeconfig = kubeconfig(server, caPem);
        for (int attempt = 1; ; attempt++) {
            ConfigMap existing = client.configMaps().inNamespace(NAMESPACE).withName(NAME).get();
            Map<String, String> data = new TreeMap<>();
            data.put(KUBECONFIG, kubeconfig);
            data.put(CLUSTER_ID, clusterId);
            for (Secret secret : client.secrets().inNamespace(BootstrapToken.NAMESPACE).list().getItems()) {
                BootstrapToken token = signingToken(secret, clock.instant());
                if (token != null) {
                    data.put(SIGNATURE_PREFIX + token.id(), token.sign(kubeconfig));
                }
            }
            ConfigMap desired = new ConfigMapBuilder()
                    .withNewMetadata().withName(NAME).withNamespace(NAMESPACE)
                    .withResourceVersion(existing == null ? null : existing.getMetadata().getResourceVersion())
                    .endMetadata()
                    .withData(data)
                    .build();
            try {
                if (existing == null) {
                    client.configMaps().inNamespace(NAMESPACE).resource(desired).create();
                } else {
                    client.configMaps().inNamespace(NAMESPACE).resource(desired).update();
                }
                return;
            } catch (KubernetesClientException e) {
                // another token command wrote it meanwhile: sign again from what is there now
                if (e.getCode() != 409 || attempt == CONFLICT_RETRIES) {
                    throw e;
                }
            }
        }
    }

    /**
     * Publishes {@code caPem} as the CAs of the existing cluster-info (same server and cluster id, signed again for
     * every token): the CA bundle joined nodes follow through a CA rotation. Returns false when there is none.
     */
    static boolean republish(KubernetesClient client, String caPem, Clock clock) {
        ConfigMap existing = client.configMaps().inNamespace(NAMESPACE).withName(NAME).get();
        if (existing == null || existing.getData() == null || existing.getData().get(KUBECONFIG) == null) {
            return false;
        }
        Config config = Serialization.unmarshal(existing.getData().get(KUBECONFIG), Config.class);
        String clusterId = existing.getData().get(CLUSTER_ID);
        if (config == null || config.getClusters() == null || config.getClusters().isEmpty()
                || config.getClusters().getFirst().getCluster() == null || clusterId == null) {
            throw new PkiException(PATH + " holds no usable kubeconfig or cluster id; run platform token create");
        }
        publish(client, config.getClusters().getFirst().getCluster().getServer(), caPem, clusterId, clock);
        return true;
    }

    /** kubeadm's cluster-info kubeconfig: one unnamed cluster, no users or contexts. */
    static String kubeconfig(String server, String caPem) {
        Config config = new ConfigBuilder()
                .withApiVersion("v1")
                .withKind("Config")
                .addNewCluster().withName("").withNewCluster().withServer(server)
                .withCertificateAuthorityData(Base64.getEncoder().encodeToString(caPem.getBytes(StandardCharsets.UTF_8)))
                .endCluster().endCluster()
                .withCurrentContext("")
                .build();
        return Serialization.asYaml(config);
    }

    /** The token of a bootstrap token Secret that may sign cluster-info now, as upstream's bootstrap signer picks. */
    static @Nullable BootstrapToken signingToken(Secret secret, Instant now) {
        if (!BootstrapToken.SECRET_TYPE.equals(secret.getType()) || secret.getData() == null
                || secret.getMetadata().getDeletionTimestamp() != null) {
            return null;
        }
        Map<String, String> data = secret.getData();
        if (!"true".equals(decoded(data, "usage-bootstrap-signing"))) {
            return null;
        }
        String expiration = decoded(data, "expiration");
        if (!expiration.isEmpty()) {
            try {
                if (!now.isBefore(OffsetDateTime.parse(expiration).toInstant())) {
                    return null;
                }
            } catch (DateTimeParseException e) {
                return null;
            }
        }
        try {
            return BootstrapToken.parse(decoded(data, "token-id") + "." + decoded(data, "token-secret"));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static String decoded(Map<String, String> data, String key) {
        String value = data.get(key);
        if (value == null) {
            return "";
        }
        try {
            return new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    private static void ensureAnonymousRead(KubernetesClient client) {
        if (client.rbac().roles().inNamespace(NAMESPACE).withName(READER).get() == null) {
            Role role = new RoleBuilder()
                    .withNewMetadata().withName(READER).withNamespace(NAMESPACE).endMetadata()
                    .addNewRule().withApiGroups("").withResources("configmaps").withResourceNames(NAME)
                    .withVerbs("get").endRule()
                    .build();
            createIfAbsent(() -> client.rbac().roles().inNamespace(NAMESPACE).resource(role).create());
        }
        if (client.rbac().roleBindings().inNamespace(NAMESPACE).withName(READER).get() == null) {
            RoleBinding binding = new RoleBindingBuilder()
                    .withNewMetadata().withName(READER).withNamespace(NAMESPACE).endMetadata()
                    .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("Role").withName(READER)
                    .endRoleRef()
                    .addNewSubject().withApiGroup("rbac.authorization.k8s.io").withKind("User")
                    .withName("system:anonymous").endSubject()
                    .build();
            createIfAbsent(() -> client.rbac().roleBindings().inNamespace(NAMESPACE).resource(binding).create());
        }
    }

    private static void createIfAbsent(Runnable create) {
        try {
            create.run();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
        }
    }

    /**
     * kubeadm's token discovery against {@code server}: retries until {@code timeout} while the server cannot be
     * reached, fails at once when it answers but cannot be trusted.
     *
     * @throws DiscoveryException saying what did not match or what to do
     */
    static Discovered discover(String server, BootstrapToken token, List<String> pinnedHashes, Duration timeout)
            throws InterruptedException {
        URI uri = URI.create(server.replaceAll("/+$", "") + PATH);
        ConfigMap insecure = fetch(uri, insecureContext(), false, timeout);
        String kubeconfig = data(insecure, KUBECONFIG, uri);
        String signature = insecure.getData().get(SIGNATURE_PREFIX + token.id());
        if (signature == null) {
            throw new DiscoveryException("token id \"" + token.id() + "\" is invalid for this cluster or it has "
                    + "expired; create a new one on the control plane with: platform token create");
        }
        if (!token.signed(kubeconfig, signature)) {
            throw new DiscoveryException("the cluster-info signature for token id \"" + token.id() + "\" does not "
                    + "match the token: the token's secret is wrong, or " + server + " is not the cluster that "
                    + "issued it; refusing to trust this API server");
        }
        List<X509Certificate> cas = certificateAuthorities(kubeconfig, uri);
        if (!CaCertHash.anyPinned(cas, pinnedHashes)) {
            throw new DiscoveryException("the cluster CA of " + server + " ("
                    + String.join(", ", cas.stream().map(CaCertHash::of).toList()) + ") matches none of the "
                    + "--discovery-token-ca-cert-hash values given (" + String.join(", ", pinnedHashes)
                    + "); refusing to trust this API server. platform token create prints the right one");
        }
        ConfigMap verified = fetch(uri, TrustedCas.sslContext(cas), true, timeout);
        if (!kubeconfig.equals(data(verified, KUBECONFIG, uri))) {
            throw new DiscoveryException("cluster-info read again over TLS verified with the pinned CA differs from"
                    + " the first read; refusing to trust this API server");
        }
        String clusterId = verified.getData().get(CLUSTER_ID);
        if (clusterId == null || clusterId.isBlank()) {
            throw new DiscoveryException(uri + " names no " + CLUSTER_ID + "; run platform token create on the "
                    + "control plane, which publishes it");
        }
        return new Discovered(cas, PemFiles.certificatesPem(cas), clusterId.strip());
    }

    private static ConfigMap fetch(URI uri, SSLContext tls, boolean verified, Duration timeout)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        try (HttpClient http = HttpClient.newBuilder()
                .sslContext(tls)
                .connectTimeout(REQUEST_TIMEOUT)
                .version(HttpClient.Version.HTTP_1_1)
                .build()) {
            while (true) {
                String last;
                try {
                    HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT)
                            .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
                    switch (response.statusCode()) {
                        case 200 -> {
                            return parse(response.body(), uri);
                        }
                        case 401, 403 -> throw new DiscoveryException("the API server refuses anonymous reads of "
                                + uri + " (HTTP " + response.statusCode() + "); kubeadm's token discovery needs "
                                + "them, so the API server must let system:anonymous get kube-public/cluster-info");
                        case 404 -> throw new DiscoveryException(uri + " does not exist (HTTP 404); run platform "
                                + "token create on the control plane, which publishes it");
                        default -> last = "HTTP " + response.statusCode() + " " + response.body().strip();
                    }
                } catch (SSLException e) {
                    if (!verified) {
                        throw new DiscoveryException("no TLS connection to " + uri.getHost() + ":" + uri.getPort()
                                + ": " + e.getMessage() + " (is --server the API server's https:// address?)");
                    }
                    throw new DiscoveryException("cannot verify the API server at " + uri.getHost() + ":"
                            + uri.getPort() + " with the pinned cluster CA: " + e.getMessage()
                            + " (does its certificate name " + uri.getHost() + "?)");
                } catch (IOException e) {
                    last = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
                }
                if (Instant.now().isAfter(deadline)) {
                    throw new DiscoveryException("cannot read " + uri + " within " + timeout.toSeconds() + "s (last: "
                            + last + ")");
                }
                Thread.sleep(RETRY_PAUSE);
            }
        }
    }

    private static ConfigMap parse(String body, URI uri) {
        try {
            ConfigMap configMap = Serialization.unmarshal(body, ConfigMap.class);
            if (configMap == null || configMap.getData() == null) {
                throw new DiscoveryException(uri + " holds no data");
            }
            return configMap;
        } catch (JacksonException | IllegalArgumentException e) {
            throw new DiscoveryException(uri + " did not answer a ConfigMap: " + e.getMessage());
        }
    }

    private static String data(ConfigMap configMap, String key, URI uri) {
        String value = configMap.getData().get(key);
        if (value == null || value.isBlank()) {
            throw new DiscoveryException(uri + " has no " + key);
        }
        return value;
    }

    private static List<X509Certificate> certificateAuthorities(String kubeconfig, URI uri) {
        try {
            Config config = Serialization.unmarshal(kubeconfig, Config.class);
            List<NamedCluster> clusters = config == null || config.getClusters() == null ? List.of() : config.getClusters();
            if (clusters.isEmpty() || clusters.getFirst().getCluster() == null
                    || clusters.getFirst().getCluster().getCertificateAuthorityData() == null) {
                throw new DiscoveryException("the kubeconfig of " + uri + " names no cluster CA");
            }
            String pem = new String(Base64.getDecoder().decode(
                    clusters.getFirst().getCluster().getCertificateAuthorityData()), StandardCharsets.UTF_8);
            return PemFiles.parseCertificates(pem, uri + " certificate-authority-data");
        } catch (JacksonException | IllegalArgumentException | PkiException e) {
            throw new DiscoveryException("cannot read the cluster CA from " + uri + ": " + e.getMessage());
        }
    }

    /**
     * TLS that accepts any server, for the first read only, as kubeadm's: what it returns is trusted only after the
     * token's signature and the CA pin are checked.
     */
    private static SSLContext insecureContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new AnyServer()}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    private static final class AnyServer extends X509ExtendedTrustManager {

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
            throw new UnsupportedOperationException("client side only");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
            // trusted after the signature and pin checks, see insecureContext
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            throw new UnsupportedOperationException("client side only");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            // trusted after the signature and pin checks, see insecureContext
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            throw new UnsupportedOperationException("client side only");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            // trusted after the signature and pin checks, see insecureContext
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
