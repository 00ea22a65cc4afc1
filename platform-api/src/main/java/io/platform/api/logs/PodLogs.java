package io.platform.api.logs;

import io.platform.api.errors.ApiException;
import io.platform.api.kubelet.NodeAgentClient;
import io.platform.api.registry.BuiltinResources;
import io.platform.api.registry.ResourceType;
import io.platform.api.resource.ResourceStorage;
import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Flux;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET pods/{name}/log}: finds the pod's container and node, and streams the node agent's
 * {@code /containerLogs/{namespace}/{pod}/{container}} back as {@code text/plain}, calling the
 * agent with the API server's node-client certificate and trusting only the cluster CA.
 */
public final class PodLogs {

    private static final List<String> FORWARDED = List.of("follow", "tailLines", "previous", "timestamps",
            "sinceSeconds", "sinceTime", "limitBytes");
    private static final ResourceType PODS = BuiltinResources.find("", "v1", "pods").orElseThrow();
    private static final ResourceType NODES = BuiltinResources.find("", "v1", "nodes").orElseThrow();

    /** Where to fetch one container's log. */
    record Target(String url, String container) {}

    private final ResourceStorage storage;
    private final NodeAgentClient agents;

    public PodLogs(ResourceStorage storage, NodeAgentClient agents) {
        this.storage = storage;
        this.agents = agents;
    }

    public Mono<ServerResponse> logs(ServerRequest request, @Nullable String namespace, String podName) {
        return Mono.fromCallable(() -> target(request, namespace, podName))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(target -> proxy(target));
    }

    Target target(ServerRequest request, @Nullable String namespace, String podName) {
        JsonNode pod = storage.get(PODS, namespace, podName);
        String container = NodeAgentClient.container(pod, podName, request.queryParam("container").orElse(null));
        String nodeName = pod.path("spec").path("nodeName").asString("");
        if (nodeName.isEmpty()) {
            throw ApiException.badRequest("pod " + podName + " does not have a host assigned");
        }
        JsonNode node = storage.get(NODES, null, nodeName);
        StringBuilder url = new StringBuilder(NodeAgentClient.baseUrl("https", node))
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
            Disposable upstream = agents.client().get().uri(target.url())
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
}
