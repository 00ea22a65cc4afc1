package io.platform.api.logs;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.platform.api.errors.ApiException;
import io.platform.api.registry.BuiltinResources;
import io.platform.api.registry.ResourceType;
import io.platform.api.resource.ResourceStorage;
import io.platform.common.tls.ReloadingMaterial;
import io.platform.common.tls.ReloadingSslBundle;
import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Flux;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET pods/{name}/log}: finds the pod's container and node, and streams the node agent's
 * {@code /containerLogs/{namespace}/{pod}/{container}} back as {@code text/plain}, calling the
 * agent with the API server's node-client certificate and trusting only the cluster CA.
 */
public final class PodLogs {

    static final String DEFAULT_CONTAINER_ANNOTATION = "kubectl.kubernetes.io/default-container";
    private static final List<String> FORWARDED = List.of("follow", "tailLines", "previous", "timestamps",
            "sinceSeconds", "sinceTime", "limitBytes");
    private static final ResourceType PODS = BuiltinResources.find("", "v1", "pods").orElseThrow();
    private static final ResourceType NODES = BuiltinResources.find("", "v1", "nodes").orElseThrow();

    /** Where to fetch one container's log. */
    record Target(String url, String container) {}

    private final ResourceStorage storage;
    private final Path clientCertificate;
    private final Path clientKey;
    private final Path trustedCa;
    private final Duration connectTimeout;
    private @Nullable ReloadingMaterial<SslBundle> credentials;
    private volatile @Nullable HttpClient client;
    private volatile @Nullable SslBundle clientBundle;

    public PodLogs(ResourceStorage storage, Path clientCertificate, Path clientKey, Path trustedCa,
            Duration connectTimeout) {
        this.storage = storage;
        this.clientCertificate = clientCertificate;
        this.clientKey = clientKey;
        this.trustedCa = trustedCa;
        this.connectTimeout = connectTimeout;
    }

    public Mono<ServerResponse> logs(ServerRequest request, @Nullable String namespace, String podName) {
        return Mono.fromCallable(() -> target(request, namespace, podName))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(target -> proxy(target));
    }

    Target target(ServerRequest request, @Nullable String namespace, String podName) {
        JsonNode pod = storage.get(PODS, namespace, podName);
        String container = container(pod, podName, request.queryParam("container").orElse(null));
        String nodeName = pod.path("spec").path("nodeName").asString("");
        if (nodeName.isEmpty()) {
            throw ApiException.badRequest("pod " + podName + " does not have a host assigned");
        }
        JsonNode node = storage.get(NODES, null, nodeName);
        String address = address(node);
        int port = node.path("status").path("daemonEndpoints").path("kubeletEndpoint").path("Port").asInt(0);
        if (address == null || port <= 0) {
            throw ApiException.badRequest("node " + nodeName + " does not report an address and kubelet endpoint port");
        }
        StringBuilder url = new StringBuilder("https://")
                .append(address.contains(":") ? "[" + address + "]" : address).append(':').append(port)
                .append("/containerLogs/").append(encode(namespace)).append('/').append(encode(podName)).append('/')
                .append(encode(container));
        String separator = "?";
        for (String parameter : FORWARDED) {
            String value = request.queryParam(parameter).orElse(null);
            if (value != null) {
                url.append(separator).append(parameter).append('=').append(encode(value));
                separator = "&";
            }
        }
        return new Target(url.toString(), container);
    }

    /** The container asked for, else the annotated default, else the only one, as upstream. */
    static String container(JsonNode pod, String podName, @Nullable String requested) {
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

    private static @Nullable String address(JsonNode node) {
        String hostName = null;
        for (JsonNode address : node.path("status").path("addresses")) {
            String type = address.path("type").asString("");
            if (type.equals("InternalIP")) {
                return address.path("address").asString("");
            }
            if (type.equals("Hostname")) {
                hostName = address.path("address").asString("");
            }
        }
        return hostName;
    }

    private static String encode(@Nullable String value) {
        return URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8);
    }

    /**
     * The agent's status decides the reply: a 200 streams its body as it comes, anything else
     * becomes a Status carrying the agent's message. Closing either side closes the other.
     */
    private Mono<ServerResponse> proxy(Target target) {
        return Mono.defer(() -> {
            Sinks.One<Integer> status = Sinks.one();
            Sinks.Many<byte[]> chunks = Sinks.many().unicast().onBackpressureBuffer();
            Disposable upstream = client().get().uri(target.url())
                    .response((response, content) -> {
                        status.tryEmitValue(response.status().code());
                        return content.asByteArray();
                    })
                    .subscribe(chunks::tryEmitNext, error -> {
                        status.tryEmitError(error);
                        chunks.tryEmitError(error);
                    }, chunks::tryEmitComplete);
            Flux<byte[]> body = chunks.asFlux().doOnCancel(upstream::dispose);
            return status.asMono()
                    .flatMap(code -> code == 200 ? stream(body) : failure(code, body, target))
                    .doOnCancel(upstream::dispose);
        }).onErrorMap(e -> !(e instanceof ApiException),
                e -> new ApiException(503, "ServiceUnavailable", "cannot reach the node agent for logs: " + e.getMessage(),
                        null, null, null, List.of()));
    }

    private static Mono<ServerResponse> failure(int code, Flux<byte[]> body, Target target) {
        return body.collect(ByteArrayOutputStream::new, (out, bytes) -> out.write(bytes, 0, bytes.length))
                .flatMap(out -> Mono.error(new ApiException(code >= 400 && code < 600 ? code : 502,
                        code == 404 ? "NotFound" : "InternalError", out.toString(StandardCharsets.UTF_8).trim(),
                        target.container(), "", "pods", List.of())));
    }

    private static Mono<ServerResponse> stream(Flux<byte[]> chunks) {
        return ServerResponse.ok().contentType(MediaType.TEXT_PLAIN).body((message, context) -> {
            Flux<Mono<DataBuffer>> buffers = Flux.concat(Mono.just(Mono.just(message.bufferFactory().allocateBuffer(0))),
                    chunks.map(bytes -> Mono.just(message.bufferFactory().wrap(bytes))));
            return message.writeAndFlushWith(buffers);
        });
    }

    /**
     * The client to node agents, built again when the certificate, key or trusted CAs changed on disk (a renewal or a
     * CA rotation), so logs keep working without a restart.
     */
    private HttpClient client() {
        SslBundle bundle = credentials();
        HttpClient current = client;
        if (current == null || bundle != clientBundle) {
            try {
                SslContext ssl = SslContextBuilder.forClient()
                        .keyManager(bundle.getManagers().getKeyManagerFactory())
                        .trustManager(bundle.getManagers().getTrustManagerFactory())
                        .build();
                current = HttpClient.create()
                        .secure(spec -> spec.sslContext(ssl))
                        .option(io.netty.channel.ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis());
                client = current;
                clientBundle = bundle;
            } catch (SSLException e) {
                throw ApiException.internal("cannot use the node client certificate: " + e.getMessage());
            }
        }
        return current;
    }

    /** The node-client certificate, key and CA bundle: read at the first log request, then again when they change. */
    private synchronized SslBundle credentials() {
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
}
