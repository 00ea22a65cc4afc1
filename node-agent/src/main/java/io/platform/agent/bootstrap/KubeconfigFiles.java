package io.platform.agent.bootstrap;

import io.fabric8.kubernetes.api.model.AuthInfo;
import io.fabric8.kubernetes.api.model.Cluster;
import io.fabric8.kubernetes.api.model.Config;
import io.fabric8.kubernetes.api.model.ConfigBuilder;
import io.fabric8.kubernetes.api.model.NamedAuthInfo;
import io.fabric8.kubernetes.api.model.NamedCluster;
import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.platform.common.pki.PemFiles;
import io.platform.common.pki.PkiException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;

/**
 * Kubeconfig files of a node agent (fabric8's kubeconfig model): the bootstrap kubeconfig holding a bootstrap
 * token, and the node's own with its client certificate and key embedded. Every write replaces the file atomically
 * (owner-only), so a client following the file reads the old or the new credentials, never half of them.
 */
public final class KubeconfigFiles {

    /** The cluster entry's name, as the platform's other kubeconfigs. */
    public static final String CLUSTER = "platform";
    /** The bootstrap kubeconfig's user, as kubeadm's. */
    public static final String BOOTSTRAP_USER = "tls-bootstrap-token-user";

    private KubeconfigFiles() {}

    /** A kubeconfig authenticating with a bearer token (the bootstrap token) against {@code server}. */
    public static Config withToken(String server, String caPem, String user, String token) {
        return single(server, caPem, user, new AuthInfo().toBuilder().withToken(token).build());
    }

    /**
     * A kubeconfig with an embedded client certificate (chain) and key; EC keys as SEC1, which fabric8 needs (see
     * {@link PemFiles#kubeconfigKeyPem}).
     */
    public static Config withClientCertificate(String server, String caPem, String user, String certificatePem,
            KeyPair keys) {
        return single(server, caPem, user, clientCertificate(certificatePem, keys));
    }

    /** {@code config} with its current user's client certificate and key replaced; its cluster is kept as it is. */
    public static Config replaceClientCertificate(Config config, String certificatePem, KeyPair keys) {
        NamedContext context = currentContext(config);
        String userName = context.getContext().getUser();
        List<NamedAuthInfo> users = config.getUsers().stream()
                .map(user -> user.getName().equals(userName)
                        ? new NamedAuthInfo(user.getName(), clientCertificate(certificatePem, keys))
                        : user)
                .toList();
        return config.toBuilder().withUsers(users).build();
    }

    /**
     * {@code config} re-pointed at its current cluster for a new user: the node's kubeconfig after bootstrap keeps
     * the bootstrap kubeconfig's server and CA, as the kubelet's.
     */
    public static Config forUser(Config bootstrap, String user, String certificatePem, KeyPair keys) {
        Cluster cluster = currentCluster(bootstrap);
        String contextName = user + "@" + CLUSTER;
        return new ConfigBuilder()
                .withApiVersion("v1")
                .withKind("Config")
                .addNewCluster().withName(CLUSTER).withCluster(cluster).endCluster()
                .addNewUser().withName(user).withUser(clientCertificate(certificatePem, keys)).endUser()
                .addNewContext().withName(contextName).withNewContext().withCluster(CLUSTER).withUser(user)
                .endContext().endContext()
                .withCurrentContext(contextName)
                .build();
    }

    /** {@code config} with its current cluster's CA data replaced by {@code caPem} (embedded, as the node writes it). */
    public static Config replaceCertificateAuthorities(Config config, String caPem) {
        String clusterName = currentContext(config).getContext().getCluster();
        List<NamedCluster> clusters = config.getClusters().stream()
                .map(named -> named.getName().equals(clusterName)
                        ? new NamedCluster(named.getCluster().toBuilder()
                                .withCertificateAuthority(null).withCertificateAuthorityData(encode(caPem)).build(), named.getName())
                        : named)
                .toList();
        return config.toBuilder().withClusters(clusters).build();
    }

    public static Config read(Path file) {
        String content = PemFiles.read(file);
        try {
            Config config = Serialization.unmarshal(content, Config.class);
            if (config == null) {
                throw new PkiException(file + " is not a kubeconfig");
            }
            return config;
        } catch (JacksonException | IllegalArgumentException e) {
            throw new PkiException(file + " is not a kubeconfig: " + e.getMessage(), e);
        }
    }

    public static void write(Path file, Config config) {
        PemFiles.write(file, Serialization.asYaml(config), PemFiles.OWNER_ONLY);
    }

    /** The embedded client certificate of the current user, if the kubeconfig has one. */
    public static Optional<X509Certificate> clientCertificate(Config config) {
        AuthInfo user = currentUser(config);
        if (user == null || user.getClientCertificateData() == null || user.getClientCertificateData().isBlank()) {
            return Optional.empty();
        }
        String pem = decode(user.getClientCertificateData());
        return Optional.of(PemFiles.parseCertificate(pem, "the kubeconfig's client-certificate-data"));
    }

    /** Every CA certificate the current cluster trusts (embedded or in a file). */
    public static List<X509Certificate> certificateAuthorities(Config config, Path kubeconfigFile) {
        Cluster cluster = currentCluster(config);
        if (cluster.getCertificateAuthorityData() != null && !cluster.getCertificateAuthorityData().isBlank()) {
            return PemFiles.parseCertificates(decode(cluster.getCertificateAuthorityData()),
                    kubeconfigFile + " certificate-authority-data");
        }
        if (cluster.getCertificateAuthority() != null && !cluster.getCertificateAuthority().isBlank()) {
            Path file = kubeconfigFile.toAbsolutePath().getParent().resolve(cluster.getCertificateAuthority());
            return PemFiles.parseCertificates(PemFiles.read(file), file.toString());
        }
        return List.of();
    }

    /** The API server address of the current cluster. */
    public static String server(Config config) {
        String server = currentCluster(config).getServer();
        if (server == null || server.isBlank()) {
            throw new PkiException("the kubeconfig's cluster names no server");
        }
        return server;
    }

    static Cluster currentCluster(Config config) {
        String clusterName = currentContext(config).getContext().getCluster();
        return config.getClusters().stream()
                .filter(cluster -> cluster.getName().equals(clusterName))
                .map(NamedCluster::getCluster)
                .findFirst()
                .orElseThrow(() -> new PkiException("the kubeconfig names no cluster " + clusterName));
    }

    private static @Nullable AuthInfo currentUser(Config config) {
        String userName = currentContext(config).getContext().getUser();
        return config.getUsers() == null ? null : config.getUsers().stream()
                .filter(user -> user.getName().equals(userName))
                .map(NamedAuthInfo::getUser)
                .findFirst()
                .orElse(null);
    }

    private static NamedContext currentContext(Config config) {
        List<NamedContext> contexts = config.getContexts() == null ? List.of() : config.getContexts();
        return contexts.stream()
                .filter(context -> context.getName().equals(config.getCurrentContext()))
                .findFirst()
                .or(() -> contexts.size() == 1 ? Optional.of(contexts.getFirst()) : Optional.empty())
                .orElseThrow(() -> new PkiException("the kubeconfig has no current context"));
    }

    private static Config single(String server, String caPem, String user, AuthInfo credentials) {
        String contextName = user + "@" + CLUSTER;
        return new ConfigBuilder()
                .withApiVersion("v1")
                .withKind("Config")
                .addNewCluster().withName(CLUSTER).withNewCluster().withServer(server)
                .withCertificateAuthorityData(encode(caPem)).endCluster().endCluster()
                .addNewUser().withName(user).withUser(credentials).endUser()
                .addNewContext().withName(contextName).withNewContext().withCluster(CLUSTER).withUser(user)
                .endContext().endContext()
                .withCurrentContext(contextName)
                .build();
    }

    private static AuthInfo clientCertificate(String certificatePem, KeyPair keys) {
        return new AuthInfo().toBuilder()
                .withClientCertificateData(encode(certificatePem))
                .withClientKeyData(encode(PemFiles.kubeconfigKeyPem(keys.getPrivate(), keys.getPublic())))
                .build();
    }

    private static String encode(String pem) {
        return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String base64) {
        try {
            return new String(Base64.getDecoder().decode(base64.strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new PkiException("the kubeconfig holds data that is not base64: " + e.getMessage(), e);
        }
    }
}
