package io.platform.agent.server.streams;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/**
 * Port-forward with SPDY/3.1 tunnelled in a WebSocket ({@code SPDY/3.1+portforward.k8s.io}, kubectl's default since
 * 1.31): the binary messages carry the SPDY byte stream both ways.
 */
final class PortForwardTunnel implements WebSocketHandler {

    private static final Logger log = LoggerFactory.getLogger(PortForwardTunnel.class);

    static final String PROTOCOL = "SPDY/3.1+portforward.k8s.io";

    private final String pod;
    private final IntFunction<InetSocketAddress> target;
    private final Duration connectTimeout;

    PortForwardTunnel(String pod, IntFunction<InetSocketAddress> target, Duration connectTimeout) {
        this.pod = pod;
        this.target = target;
        this.connectTimeout = connectTimeout;
    }

    @Override
    public List<String> getSubProtocols() {
        return List.of(PROTOCOL);
    }

    @Override
    public Mono<Void> handle(WebSocketSession socket) {
        Sinks.Many<byte[]> outbound = Sinks.many().unicast().onBackpressureBuffer();
        // frames are handed over one at a time under the session's lock, so emissions never race
        PortForwardSession session = new PortForwardSession(pod, target, connectTimeout, outbound::tryEmitNext);
        Mono<Void> send = socket.send(outbound.asFlux().map(bytes -> socket.binaryMessage(factory -> factory.wrap(bytes))));
        Mono<Void> receive = socket.receive()
                .map(PortForwardTunnel::bytes)
                .publishOn(Schedulers.boundedElastic())
                .doOnNext(session::receive)
                .doOnError(e -> log.warn("port-forward to {} ended: {}", pod, e.toString()))
                .then();
        return Mono.firstWithSignal(send, receive).doFinally(signal -> {
            log.info("port-forward to {} closed ({})", pod, signal);
            session.close();
            outbound.tryEmitComplete();
        });
    }

    private static byte[] bytes(WebSocketMessage message) {
        DataBuffer payload = message.getPayload();
        byte[] bytes = new byte[payload.readableByteCount()];
        payload.read(bytes);
        return bytes;
    }
}
