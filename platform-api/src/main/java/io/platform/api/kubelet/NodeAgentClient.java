package io.platform.api.kubelet;

import io.netty.channel.ChannelOption;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.platform.api.errors.ApiException;
import io.platform.common.tls.ReloadingMaterial;
import io.platform.common.tls.ReloadingSslBundle;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.ssl.SslBundle;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.JsonNode;

/**
 * How the API server reaches node agents, as kube-apiserver's kubelet client: TLS with the node-client certificate,
 * trusting only the cluster CAs, rebuilt when those files change on disk (a renewal or a CA rotation) so logs and
 * streams keep working without a restart; the node's address and port from its status; the container a request
 * means.
 */
public final class NodeAgentClient {

    /** The annotation naming the container kubectl (and we) pick when none is given. */
    public static final String DEFAULT_CONTAINER_ANNOTATION = "kubectl.kubernetes.io/default-container";

    private final Path clientCertificate;
    private final Path clientKey;
    private final Path trustedCa;
    private final Duration connectTimeout;
    private @Nullable ReloadingMaterial<SslBundle> credentials;
    private @Nullable HttpClient client;
    private @Nullable SslBundle clientBundle;

    public NodeAgentClient(Path clientCertificate, Path clientKey, Path trustedCa, Duration connectTimeout) {
        this.clientCertificate = clientCertificate;
        this.clientKey = clientKey;
        this.trustedCa = trustedCa;
        this.connectTimeout = connectTimeout;
    }

    /** The HTTP client to node agents with the credentials on disk now. */
    public synchronized HttpClient client() {
        SslBundle bundle = credentials();
        HttpClient current = client;
        if (current == null || bundle != clientBundle) {
            try {
                SslContext ssl = SslContextBuilder.forClient()
                        .keyManager(bundle.getManagers().getKeyManagerFactory())
                        .trustManager(bundle.getManagers().getTrustManagerFactory())
                        .build();
                current = HttpClient.create()
                        .secure(tls -> tls.sslContext(ssl))
                        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis());
                client = current;
                clientBundle = bundle;
            } catch (SSLException e) {
                throw ApiException.internal("cannot use the node client certificate: " + e.getMessage());
            }
        }
        return current;
    }

    /** The node-client certificate, key and CA bundle: read at the first request, then again when they change. */
    private SslBundle credentials() {
        ReloadingMaterial<SslBundle> material = credentials;
        if (material == null) {
            try {
                material = new ReloadingMaterial<>("node client certificate",
                        ReloadingSslBundle.pemFiles(clientCertificate, clientKey, trustedCa), bundle -> {});
            } catch (RuntimeException e) {
                throw ApiException.internal("cannot load the node client certificate: " + e.getMessage());
            }
            credentials = material;
        } else {
            material.reloadIfChanged();
        }
        return material.current();
    }

    /**
     * {@code <scheme>://<address>:<port>} of the node's agent: its InternalIP (else Hostname) and kubelet endpoint port.
     *
     * @throws ApiException 400 when the node reports neither
     */
    public static String baseUrl(String scheme, JsonNode node) {
        String address = null;
        String hostName = null;
        for (JsonNode entry : node.path("status").path("addresses")) {
            String type = entry.path("type").asString("");
            if (type.equals("InternalIP") && address == null) {
                address = entry.path("address").asString("");
            } else if (type.equals("Hostname")) {
                hostName = entry.path("address").asString("");
            }
        }
        if (address == null) {
            address = hostName;
        }
        int port = node.path("status").path("daemonEndpoints").path("kubeletEndpoint").path("Port").asInt(0);
        if (address == null || address.isEmpty() || port <= 0) {
            throw ApiException.badRequest("node " + node.path("metadata").path("name").asString("")
                    + " does not report an address and kubelet endpoint port");
        }
        return scheme + "://" + (address.contains(":") ? "[" + address + "]" : address) + ":" + port;
    }

    /**
     * The container a log or stream request means, as kube-apiserver's {@code validateContainer}: the one asked for
     * (any app, init or ephemeral container), else the annotated default, else the only app container.
     *
     * @throws ApiException 400 naming the choices otherwise
     */
    public static String container(JsonNode pod, String podName, @Nullable String requested) {
        List<String> containers = names(pod.path("spec").path("containers"));
        List<String> initContainers = names(pod.path("spec").path("initContainers"));
        List<String> ephemeralContainers = names(pod.path("spec").path("ephemeralContainers"));
        if (requested != null && !requested.isEmpty()) {
            if (!containers.contains(requested) && !initContainers.contains(requested) && !ephemeralContainers.contains(requested)) {
                throw ApiException.badRequest("container " + requested + " is not valid for pod " + podName);
            }
            return requested;
        }
        String annotated = pod.path("metadata").path("annotations").path(DEFAULT_CONTAINER_ANNOTATION).asString("");
        if (!annotated.isEmpty() && containers.contains(annotated)) {
            return annotated;
        }
        if (containers.size() == 1) {
            return containers.getFirst();
        }
        String message = "a container name must be specified for pod " + podName + ", choose one of: ["
                + String.join(" ", containers) + "]";
        if (!initContainers.isEmpty()) {
            message += " or one of the init containers: [" + String.join(" ", initContainers) + "]";
        }
        if (!ephemeralContainers.isEmpty()) {
            message += " or one of the ephemeral containers: [" + String.join(" ", ephemeralContainers) + "]";
        }
        throw ApiException.badRequest(message);
    }

    private static List<String> names(JsonNode containers) {
        List<String> names = new ArrayList<>();
        containers.forEach(c -> names.add(c.path("name").asString("")));
        return names;
    }
}
