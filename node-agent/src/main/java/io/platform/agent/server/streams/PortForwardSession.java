package io.platform.agent.server.streams;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.spdy.DefaultSpdyDataFrame;
import io.netty.handler.codec.spdy.DefaultSpdyPingFrame;
import io.netty.handler.codec.spdy.DefaultSpdyRstStreamFrame;
import io.netty.handler.codec.spdy.DefaultSpdySynReplyFrame;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyFrameCodec;
import io.netty.handler.codec.spdy.SpdyGoAwayFrame;
import io.netty.handler.codec.spdy.SpdyPingFrame;
import io.netty.handler.codec.spdy.SpdyRstStreamFrame;
import io.netty.handler.codec.spdy.SpdyStreamStatus;
import io.netty.handler.codec.spdy.SpdySynStreamFrame;
import io.netty.handler.codec.spdy.SpdyVersion;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One port-forward connection in the kubelet's {@code portforward.k8s.io} protocol over SPDY/3.1, whatever carries
 * the bytes (a WebSocket tunnel or the upgraded connection itself). The client opens an error stream and a data
 * stream per forwarded connection (headers {@code streamtype}, {@code port}, {@code requestid}); each data stream is
 * a TCP connection to that port in the pod, and what goes wrong with it is written on its error stream.
 */
final class PortForwardSession implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PortForwardSession.class);
    private static final int CHUNK = 32 * 1024;

    private final String pod;
    private final IntFunction<InetSocketAddress> target;
    private final Duration connectTimeout;
    private final Consumer<byte[]> out;
    private final EmbeddedChannel codec = new EmbeddedChannel(new SpdyFrameCodec(SpdyVersion.SPDY_3_1));
    private final Map<String, Integer> errorStreams = new HashMap<>();
    private final Map<Integer, Socket> connections = new HashMap<>();
    private boolean closed;

    /**
     * @param target where a port of the pod is reached
     * @param out receives the encoded frames to send, in order
     */
    PortForwardSession(String pod, IntFunction<InetSocketAddress> target, Duration connectTimeout, Consumer<byte[]> out) {
        this.pod = pod;
        this.target = target;
        this.connectTimeout = connectTimeout;
        this.out = out;
    }

    /** Bytes from the client, in order (frames may span calls). */
    void receive(byte[] bytes) {
        Object frame;
        synchronized (this) {
            if (closed) {
                return;
            }
            codec.writeInbound(Unpooled.wrappedBuffer(bytes));
        }
        while ((frame = nextFrame()) != null) {
            try {
                handle(frame);
            } finally {
                ReferenceCountUtil.release(frame);
            }
        }
    }

    private synchronized @Nullable Object nextFrame() {
        return codec.readInbound();
    }

    private void handle(Object frame) {
        switch (frame) {
            case SpdySynStreamFrame syn -> open(syn);
            case SpdyDataFrame data -> data(data);
            case SpdyRstStreamFrame reset -> closeConnection(reset.streamId());
            case SpdyPingFrame ping -> send(new DefaultSpdyPingFrame(ping.id()));
            case SpdyGoAwayFrame goAway -> close();
            default -> {
                // SETTINGS and WINDOW_UPDATE: the kubelet's SPDY server does no flow control either
            }
        }
    }

    private void open(SpdySynStreamFrame syn) {
        int streamId = syn.streamId();
        String type = header(syn, "streamtype");
        String requestId = header(syn, "requestid");
        String portText = header(syn, "port");
        // Go's SPDY framer requires a header block in every SYN_REPLY, and Netty writes none for empty headers
        DefaultSpdySynReplyFrame reply = new DefaultSpdySynReplyFrame(streamId);
        reply.headers().set("streamtype", type == null ? "" : type);
        send(reply);
        if ("error".equals(type)) {
            synchronized (this) {
                errorStreams.put(requestId == null ? "" : requestId, streamId);
            }
            return;
        }
        if (!"data".equals(type)) {
            send(new DefaultSpdyRstStreamFrame(streamId, SpdyStreamStatus.PROTOCOL_ERROR));
            return;
        }
        int port;
        try {
            port = Integer.parseInt(portText == null ? "" : portText);
        } catch (NumberFormatException e) {
            fail(requestId, streamId, "invalid port " + portText);
            return;
        }
        // connected before the next frame is read, so the client's first data finds the connection
        Socket socket = new Socket();
        try {
            socket.connect(target.apply(port), (int) connectTimeout.toMillis());
        } catch (IOException | RuntimeException e) {
            fail(requestId, streamId, "error forwarding port " + port + " to pod " + pod + ": " + e.getMessage());
            return;
        }
        synchronized (this) {
            connections.put(streamId, socket);
        }
        Thread.ofVirtual().name("port-forward-" + pod + "-" + port).start(() -> forward(socket, streamId, port, requestId));
    }

    private void forward(Socket socket, int streamId, int port, @Nullable String requestId) {
        log.debug("port-forward to {}:{} connected (stream {})", pod, port, streamId);
        byte[] buffer = new byte[CHUNK];
        try (InputStream in = socket.getInputStream()) {
            int n;
            while ((n = in.read(buffer)) != -1) {
                send(new DefaultSpdyDataFrame(streamId, Unpooled.copiedBuffer(buffer, 0, n)));
            }
        } catch (IOException e) {
            // the client reset the stream, or the pod closed: either way this direction ends
        }
        send(new DefaultSpdyDataFrame(streamId, Unpooled.EMPTY_BUFFER).setLast(true));
        endErrorStream(requestId);
        closeConnection(streamId);
    }

    private void data(SpdyDataFrame data) {
        Socket socket;
        synchronized (this) {
            socket = connections.get(data.streamId());
        }
        if (socket == null) {
            return;
        }
        try {
            if (data.content().isReadable()) {
                OutputStream pod = socket.getOutputStream();
                data.content().readBytes(pod, data.content().readableBytes());
                pod.flush();
            }
            if (data.isLast()) {
                socket.shutdownOutput();
            }
        } catch (IOException e) {
            log.debug("port-forward write to {} failed: {}", pod, e.getMessage());
        }
    }

    /** Writes {@code message} on the request's error stream (and closes it), and ends the data stream. */
    private void fail(@Nullable String requestId, int dataStream, String message) {
        log.info("port-forward {}: {}", pod, message);
        Integer errorStream;
        synchronized (this) {
            errorStream = errorStreams.remove(requestId == null ? "" : requestId);
        }
        if (errorStream != null) {
            send(new DefaultSpdyDataFrame(errorStream, Unpooled.copiedBuffer(message, StandardCharsets.UTF_8)).setLast(true));
        }
        send(new DefaultSpdyDataFrame(dataStream, Unpooled.EMPTY_BUFFER).setLast(true));
        closeConnection(dataStream);
    }

    private void endErrorStream(@Nullable String requestId) {
        Integer errorStream;
        synchronized (this) {
            errorStream = errorStreams.remove(requestId == null ? "" : requestId);
        }
        if (errorStream != null) {
            send(new DefaultSpdyDataFrame(errorStream, Unpooled.EMPTY_BUFFER).setLast(true));
        }
    }

    private void closeConnection(int streamId) {
        Socket socket;
        synchronized (this) {
            socket = connections.remove(streamId);
        }
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // already closed
            }
        }
    }

    private static @Nullable String header(SpdySynStreamFrame syn, String name) {
        return syn.headers().getAsString(name);
    }

    /** Encodes and hands over one frame; one at a time, as the header compression is a single stream. */
    private void send(Object frame) {
        synchronized (this) {
            if (closed) {
                ReferenceCountUtil.release(frame);
                return;
            }
            codec.writeOutbound(frame);
            ByteBuf encoded;
            while ((encoded = codec.readOutbound()) != null) {
                try {
                    byte[] bytes = new byte[encoded.readableBytes()];
                    encoded.readBytes(bytes);
                    out.accept(bytes);
                } finally {
                    encoded.release();
                }
            }
        }
    }

    @Override
    public void close() {
        Map<Integer, Socket> open;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            open = new HashMap<>(connections);
            connections.clear();
            codec.finishAndReleaseAll();
        }
        open.values().forEach(socket -> {
            try {
                socket.close();
            } catch (IOException e) {
                // already closed
            }
        });
    }
}
