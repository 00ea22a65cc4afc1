package io.platform.agent.server.streams;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.platform.agent.AgentProperties;
import io.platform.agent.pod.PodWorkers;
import io.platform.agent.runtime.ContainerInstance;
import io.platform.agent.runtime.ContainerRuntime;
import io.platform.agent.runtime.ExecRequest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.server.WebSocketService;
import org.springframework.web.reactive.socket.server.support.HandshakeWebSocketService;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The kubelet's {@code /exec/{namespace}/{pod}/{container}}, {@code /attach/...} and
 * {@code /portForward/{namespace}/{pod}} over WebSocket. The container is looked up before the upgrade, so a
 * missing pod or container is a plain Status the API server hands back to the client.
 */
@Component
public class StreamEndpoints {

    /** kubectl 1.32 drops WebSocket frames that arrive in about the first 200 ms after the 101. */
    static final Duration FIRST_OUTPUT_DELAY = Duration.ofMillis(250);
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private final ContainerRuntime runtime;
    private final StreamTargets targets;
    private final WebSocketService webSockets = new HandshakeWebSocketService();

    StreamEndpoints(ContainerRuntime runtime, PodWorkers workers, AgentProperties properties) {
        this.runtime = runtime;
        this.targets = new StreamTargets(workers, properties.nodeName());
    }

    public Mono<ServerResponse> exec(ServerRequest request) {
        return remoteCommand(request, true);
    }

    public Mono<ServerResponse> attach(ServerRequest request) {
        return remoteCommand(request, false);
    }

    private Mono<ServerResponse> remoteCommand(ServerRequest request, boolean exec) {
        String namespace = request.pathVariable("namespace");
        String pod = request.pathVariable("pod");
        String container = request.pathVariable("container");
        List<String> command = request.queryParams().getOrDefault("command", List.of());
        boolean tty = flag(request, "tty");
        ExecRequest execRequest = new ExecRequest(command, flag(request, "stdin"), flag(request, "stdout"),
                flag(request, "stderr") && !tty, tty);
        if (exec && command.isEmpty()) {
            return status(HttpStatus.BAD_REQUEST, "you must specify at least one command for the container");
        }
        String description = (exec ? "exec " + command + " in " : "attach to ") + namespace + "/" + pod + "/" + container;
        return upgrade(request, () -> {
            ContainerInstance instance = targets.running(namespace, pod, container);
            return new RemoteCommand(description, execRequest, exec,
                    () -> exec ? runtime.exec(instance.id(), execRequest) : runtime.attach(instance.id(), execRequest),
                    FIRST_OUTPUT_DELAY);
        });
    }

    public Mono<ServerResponse> portForward(ServerRequest request) {
        String namespace = request.pathVariable("namespace");
        String pod = request.pathVariable("pod");
        return upgrade(request, () -> {
            ContainerInstance sandbox = targets.sandbox(namespace, pod);
            return new PortForwardTunnel(namespace + "/" + pod, port -> runtime.podPort(sandbox, port), CONNECT_TIMEOUT);
        });
    }

    /** Finds the target off the event loop, then upgrades to a WebSocket, or answers the kubelet's error. */
    private Mono<ServerResponse> upgrade(ServerRequest request, Callable<WebSocketHandler> handler) {
        if (!"websocket".equalsIgnoreCase(request.headers().firstHeader("Upgrade"))) {
            return status(HttpStatus.BAD_REQUEST, "this node agent streams over WebSocket only: send an Upgrade: websocket request");
        }
        return Mono.fromCallable(handler)
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(found -> webSockets.handleRequest(request.exchange(), found).then(Mono.<ServerResponse>empty()))
                .onErrorResume(StreamTargets.NotFound.class, e -> status(e.status(), e.getMessage()));
    }

    private static boolean flag(ServerRequest request, String name) {
        return request.queryParam(name).map(v -> v.equals("1") || v.equalsIgnoreCase("true")).orElse(false);
    }

    static Mono<ServerResponse> status(HttpStatus code, String message) {
        Status status = new StatusBuilder().withStatus("Failure").withMessage(message)
                .withReason(code.getReasonPhrase().replace(" ", "")).withCode(code.value()).build();
        status.setApiVersion("v1");
        status.setKind("Status");
        return ServerResponse.status(code).contentType(MediaType.APPLICATION_JSON).bodyValue(SERIALIZATION.asJson(status));
    }
}
