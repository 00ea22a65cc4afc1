package io.platform.agent.server.streams;

import io.platform.agent.runtime.ExecRequest;
import io.platform.agent.runtime.ExecSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * One exec or attach over a WebSocket in the channel protocol: the client's stdin and resize frames go to the
 * session, the process's stdout and stderr come back on their channels, and the exit status ends the stream.
 */
final class RemoteCommand implements WebSocketHandler {

    private static final Logger log = LoggerFactory.getLogger(RemoteCommand.class);

    /** Opens the runtime's session once the WebSocket is up. */
    @FunctionalInterface
    interface Opener {
        ExecSession open() throws IOException;
    }

    private final String description;
    private final ExecRequest request;
    private final boolean exec;
    private final Opener opener;
    private final Duration firstOutputDelay;

    RemoteCommand(String description, ExecRequest request, boolean exec, Opener opener, Duration firstOutputDelay) {
        this.description = description;
        this.request = request;
        this.exec = exec;
        this.opener = opener;
        this.firstOutputDelay = firstOutputDelay;
    }

    @Override
    public List<String> getSubProtocols() {
        return ChannelFrames.PROTOCOLS;
    }

    @Override
    public Mono<Void> handle(WebSocketSession socket) {
        boolean v5 = ChannelFrames.V5.equals(socket.getHandshakeInfo().getSubProtocol());
        return Mono.fromCallable(opener::open)
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(session -> run(socket, session, v5))
                .onErrorResume(IOException.class, e -> {
                    log.info("{} could not start: {}", description, e.getMessage());
                    // kubectl drops what arrives right after the upgrade, so the refusal waits like any output
                    return socket.send(Mono.delay(firstOutputDelay).map(tick -> binary(socket,
                                    ChannelFrames.frame(ChannelFrames.ERROR, ChannelFrames.failure(e.getMessage())))))
                            .then(Mono.defer(socket::close));
                });
    }

    private Mono<Void> run(WebSocketSession socket, ExecSession session, boolean v5) {
        log.info("{} started", description);
        Flux<byte[]> output = Flux.merge(
                        read(session.stdout()).map(bytes -> ChannelFrames.frame(ChannelFrames.STDOUT, bytes)),
                        read(session.stderr()).map(bytes -> ChannelFrames.frame(ChannelFrames.STDERR, bytes)))
                .concatWith(Mono.fromCallable(session::awaitExit)
                        .subscribeOn(Schedulers.boundedElastic())
                        .map(code -> {
                            log.info("{} ended with exit code {}", description, code);
                            return ChannelFrames.frame(ChannelFrames.ERROR, ChannelFrames.exitStatus(exec ? code : 0,
                                    request.command()));
                        }));
        // kubectl 1.32 loses frames written in the first moments after the 101
        Mono<Void> send = socket.send(Mono.delay(firstOutputDelay).thenMany(output).map(frame -> binary(socket, frame)))
                .then(Mono.defer(socket::close));
        Mono<Void> receive = socket.receive()
                .map(RemoteCommand::bytes)
                .publishOn(Schedulers.boundedElastic())
                .doOnNext(frame -> input(session, frame, v5))
                .then();
        // the client going away ends the session (an exec's process is killed), as the kubelet's; the inbound is
        // never cancelled, as Reactor Netty would then close the socket before the status is out
        return Mono.when(send, receive.doFinally(signal -> session.close()))
                .doFinally(signal -> session.close());
    }

    private void input(ExecSession session, byte[] frame, boolean v5) {
        if (frame.length == 0) {
            return;
        }
        byte[] payload = ChannelFrames.payload(frame);
        switch (ChannelFrames.channel(frame)) {
            case ChannelFrames.STDIN -> {
                if (request.stdin()) {
                    try {
                        OutputStream stdin = session.stdin();
                        stdin.write(payload);
                        stdin.flush();
                    } catch (IOException e) {
                        log.debug("{}: stdin closed: {}", description, e.getMessage());
                    }
                }
            }
            case ChannelFrames.RESIZE -> {
                int[] size = ChannelFrames.size(payload);
                if (size != null) {
                    session.resize(size[0], size[1]);
                }
            }
            case ChannelFrames.CLOSE -> {
                if (v5 && payload.length > 0 && payload[0] == ChannelFrames.STDIN && request.stdin()) {
                    try {
                        session.stdin().close();
                    } catch (IOException e) {
                        log.debug("{}: stdin already closed: {}", description, e.getMessage());
                    }
                }
            }
            default -> log.debug("{}: frame on unknown channel {} ignored", description, ChannelFrames.channel(frame));
        }
    }

    private static WebSocketMessage binary(WebSocketSession socket, byte[] frame) {
        return socket.binaryMessage(factory -> factory.wrap(frame));
    }

    private static byte[] bytes(WebSocketMessage message) {
        DataBuffer payload = message.getPayload();
        byte[] bytes = new byte[payload.readableByteCount()];
        payload.read(bytes);
        return bytes;
    }

    /** The stream's chunks as they come, read on a virtual thread. */
    static Flux<byte[]> read(InputStream in) {
        return Flux.create(sink -> {
            Thread reader = Thread.ofVirtual().start(() -> pump(in, sink));
            sink.onDispose(reader::interrupt);
        }, FluxSink.OverflowStrategy.BUFFER);
    }

    private static void pump(InputStream in, FluxSink<byte[]> sink) {
        byte[] buffer = new byte[16 * 1024];
        try {
            int n;
            while ((n = in.read(buffer)) != -1) {
                sink.next(Arrays.copyOf(buffer, n));
            }
        } catch (IOException e) {
            // closed while reading: the output ends
        }
        sink.complete();
    }
}
