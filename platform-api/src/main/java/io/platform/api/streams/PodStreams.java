package io.platform.api.streams;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.platform.api.errors.ApiException;
import io.platform.api.kubelet.NodeAgentClient;
import io.platform.api.registry.BuiltinResources;
import io.platform.api.registry.ResourceType;
import io.platform.api.resource.ResourceStorage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import org.springframework.web.reactive.socket.server.WebSocketService;
import org.springframework.web.reactive.socket.server.support.HandshakeWebSocketService;
import java.nio.charset.StandardCharsets;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;
import reactor.netty.http.websocket.WebsocketOutbound;
import tools.jackson.databind.JsonNode;

/**
 * {@code pods/{name}/exec}, {@code attach} and {@code portforward} over WebSocket, as kube-apiserver's upgrade-aware
 * proxy: the request was authenticated and authorized by the filters (a WebSocket GET is {@code get} on the
 * subresource, as in Kubernetes 1.32), the pod and container are checked here, then the node agent is asked for the
 * same upgrade with the protocols the client offered, and the client's WebSocket is accepted with the protocol the
 * agent chose. From then on every message is relayed unchanged both ways, so the channel and SPDY framing stay
 * between kubectl and the agent.
 */
@Component
public final class PodStreams {

    private static final Logger log = LoggerFactory.getLogger(PodStreams.class);
    private static final ResourceType PODS = BuiltinResources.find("", "v1", "pods").orElseThrow();
    private static final ResourceType NODES = BuiltinResources.find("", "v1", "nodes").orElseThrow();
    /** The bearer-token subprotocol carries the client's credentials to us, never to the node. */
    private static final String BEARER_PROTOCOL_PREFIX = "base64url.bearer.authorization.k8s.io.";
    /** kubectl 1.32 drops frames that reach it within about 200 ms of its 101. */
    private static final Duration FIRST_MESSAGE_DELAY = Duration.ofMillis(250);
    private static final int MAX_FRAME = 1024 * 1024;

    private final ResourceStorage storage;
    private final NodeAgentClient agents;
    private final WebSocketService webSockets = new HandshakeWebSocketService();

    PodStreams(ResourceStorage storage, NodeAgentClient agents) {
        this.storage = storage;
        this.agents = agents;
    }

    Mono<ServerResponse> exec(ServerRequest request) {
        return serve(request, StreamKind.EXEC);
    }

    Mono<ServerResponse> attach(ServerRequest request) {
        return serve(request, StreamKind.ATTACH);
    }

    Mono<ServerResponse> portForward(ServerRequest request) {
        return serve(request, StreamKind.PORT_FORWARD);
    }

    private Mono<ServerResponse> serve(ServerRequest request, StreamKind kind) {
        if (!request.method().equals(HttpMethod.GET) && !request.method().equals(HttpMethod.POST)) {
            return Mono.error(ApiException.methodNotAllowed("the server does not allow this method on the requested resource"));
        }
        String upgrade = request.headers().firstHeader("Upgrade");
        String namespace = request.pathVariable("namespace");
        String podName = request.pathVariable("name");
        List<String> offered = offeredProtocols(request);
        return Mono.fromCallable(() -> {
                    JsonNode pod = storage.get(PODS, namespace, podName);
                    String nodeName = pod.path("spec").path("nodeName").asString("");
                    if (nodeName.isEmpty()) {
                        throw ApiException.badRequest("pod " + podName + " does not have a host assigned");
                    }
                    JsonNode node = storage.get(NODES, null, nodeName);
                    return NodeAgentTarget.of(kind, pod, node, namespace, podName, request.queryParams());
                })
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(target -> {
                    // checked after the pod and container, so a client falling back to SPDY hears why it failed
                    if (upgrade == null || !upgrade.equalsIgnoreCase("websocket")) {
                        return Mono.error(ApiException.badRequest("Upgrade request required: pods/" + kind.subresource()
                                + " is served over WebSocket (" + (upgrade == null ? "no Upgrade header"
                                        : "Upgrade: " + upgrade + " is not supported") + ")"));
                    }
                    return relay(request, kind, target, offered, namespace + "/" + podName);
                });
    }

    /** The client's subprotocols in order, without its credentials. */
    private static List<String> offeredProtocols(ServerRequest request) {
        List<String> protocols = new ArrayList<>();
        for (String header : request.headers().header("Sec-WebSocket-Protocol")) {
            for (String protocol : header.split(",")) {
                String trimmed = protocol.trim();
                if (!trimmed.isEmpty() && !trimmed.startsWith(BEARER_PROTOCOL_PREFIX)) {
                    protocols.add(trimmed);
                }
            }
        }
        return protocols;
    }

    private Mono<ServerResponse> relay(ServerRequest request, StreamKind kind, NodeAgentTarget target,
            List<String> offered, String pod) {
        return connect(target, offered)
                .onErrorMap(e -> !(e instanceof ApiException), e -> agentError(kind, pod, e))
                .flatMap(agent -> {
                    log.info("{} of {} relayed to its node with protocol {}", kind.subresource(), pod, agent.protocol());
                    return webSockets.handleRequest(request.exchange(), new Relay(agent));
                })
                .then(Mono.<ServerResponse>empty());
    }

    /** One message from the agent, copied off the connection's buffers. */
    private record Message(boolean text, byte[] bytes) {}

    /**
     * An open WebSocket to the agent. Its messages are read from the start into {@code messages}, so none is lost
     * when the agent ends before the client's side is ready; the connection lives until {@code done}.
     */
    private record AgentConnection(@Nullable String protocol, WebsocketOutbound out, Sinks.Many<Message> messages,
            Sinks.Empty<Void> done) {}

    private Mono<AgentConnection> connect(NodeAgentTarget target, List<String> offered) {
        WebsocketClientSpec spec = WebsocketClientSpec.builder()
                .protocols(String.join(",", offered))
                .maxFramePayloadLength(MAX_FRAME)
                .build();
        return Mono.create(sink -> {
            Disposable connection = agents.client().websocket(spec)
                    .uri(target.url())
                    .handle((agentIn, agentOut) -> {
                        Sinks.Many<Message> messages = Sinks.many().unicast().onBackpressureBuffer();
                        agentIn.receiveFrames()
                                .filter(frame -> frame instanceof BinaryWebSocketFrame || frame instanceof TextWebSocketFrame)
                                .map(frame -> {
                                    byte[] bytes = new byte[frame.content().readableBytes()];
                                    frame.content().readBytes(bytes);
                                    return new Message(frame instanceof TextWebSocketFrame, bytes);
                                })
                                .subscribe(messages::tryEmitNext, messages::tryEmitError, messages::tryEmitComplete);
                        Sinks.Empty<Void> done = Sinks.empty();
                        sink.success(new AgentConnection(agentIn.selectedSubprotocol(), agentOut, messages, done));
                        return done.asMono();
                    })
                    .subscribe(null, sink::error);
            sink.onCancel(connection);
        });
    }

    private static ApiException agentError(StreamKind kind, String pod, Throwable e) {
        if (e instanceof WebSocketClientHandshakeException handshake && handshake.response() != null) {
            int code = handshake.response().status().code();
            String message = "the node agent refused " + kind.subresource() + " of pod " + pod + ": "
                    + handshake.response().status();
            return new ApiException(code >= 400 && code < 600 ? code : 502, code == 404 ? "NotFound"
                    : code < 500 ? "BadRequest" : "InternalError", message, null, null, null, List.of());
        }
        return new ApiException(503, "ServiceUnavailable", "cannot reach the node agent for " + kind.subresource()
                + " of pod " + pod + ": " + e.getMessage(), null, null, null, List.of());
    }

    /** Accepts the client's WebSocket with the agent's protocol and passes every message on, both ways. */
    private record Relay(AgentConnection agent) implements WebSocketHandler {

        @Override
        public List<String> getSubProtocols() {
            return agent.protocol() == null ? List.of() : List.of(agent.protocol());
        }

        @Override
        public Mono<Void> handle(WebSocketSession session) {
            // the client leaving closes the agent's side; the agent ending (its status sent) closes the client's.
            // The client's messages pass through a buffer of their own, so the agent's connection closing never
            // cancels the client's inbound (Reactor Netty would close the client's socket at once, losing what
            // the agent sent last)
            Sinks.Many<WebSocketFrame> toAgent = Sinks.many().unicast().onBackpressureBuffer();
            agent.out().sendObject(toAgent.asFlux()).then()
                    .then(Mono.defer(() -> agent.out().sendClose()))
                    .onErrorResume(e -> Mono.empty())
                    .subscribe();
            Mono<Void> up = session.receive()
                    .doOnNext(message -> toAgent.tryEmitNext(toAgent(message)))
                    .then()
                    .doFinally(signal -> toAgent.tryEmitComplete());
            Mono<Void> down = session.send(Mono.delay(FIRST_MESSAGE_DELAY)
                            .thenMany(agent.messages().asFlux())
                            .map(message -> message.text()
                                    ? session.textMessage(new String(message.bytes(), StandardCharsets.UTF_8))
                                    : session.binaryMessage(factory -> factory.wrap(message.bytes()))))
                    .onErrorResume(e -> Mono.empty())
                    .then(Mono.defer(() -> session.close(CloseStatus.NORMAL)));
            return Mono.when(up, down).doFinally(signal -> agent.done().tryEmitEmpty());
        }

        private static WebSocketFrame toAgent(WebSocketMessage message) {
            byte[] bytes = new byte[message.getPayload().readableByteCount()];
            message.getPayload().read(bytes);
            ByteBuf content = Unpooled.wrappedBuffer(bytes);
            return message.getType() == WebSocketMessage.Type.TEXT ? new TextWebSocketFrame(content)
                    : new BinaryWebSocketFrame(content);
        }
    }
}
