package io.platform.agent.server.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.spdy.DefaultSpdyDataFrame;
import io.netty.handler.codec.spdy.DefaultSpdyPingFrame;
import io.netty.handler.codec.spdy.DefaultSpdySynStreamFrame;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyFrameCodec;
import io.netty.handler.codec.spdy.SpdyPingFrame;
import io.netty.handler.codec.spdy.SpdySynReplyFrame;
import io.netty.handler.codec.spdy.SpdyVersion;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

/** The kubelet's port-forward protocol over SPDY/3.1, driven by a SPDY client as kubectl is one. */
class PortForwardSessionTest {

    /** The client's end: its own codec (with its own header compression state), and the frames it has read. */
    private static final class Client {
        private final EmbeddedChannel codec = new EmbeddedChannel(new SpdyFrameCodec(SpdyVersion.SPDY_3_1));
        private final ConcurrentLinkedQueue<byte[]> fromServer = new ConcurrentLinkedQueue<>();
        private final List<Object> frames = new ArrayList<>();

        synchronized byte[] encode(Object frame) {
            codec.writeOutbound(frame);
            ByteBuf out;
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            while ((out = codec.readOutbound()) != null) {
                byte[] chunk = new byte[out.readableBytes()];
                out.readBytes(chunk);
                out.release();
                bytes.writeBytes(chunk);
            }
            return bytes.toByteArray();
        }

        synchronized List<Object> frames() {
            byte[] bytes;
            while ((bytes = fromServer.poll()) != null) {
                codec.writeInbound(Unpooled.wrappedBuffer(bytes));
                Object frame;
                while ((frame = codec.readInbound()) != null) {
                    frames.add(frame);
                }
            }
            return frames;
        }

        String data(int streamId) {
            StringBuilder text = new StringBuilder();
            for (Object frame : frames()) {
                if (frame instanceof SpdyDataFrame data && data.streamId() == streamId) {
                    text.append(data.content().toString(StandardCharsets.UTF_8));
                }
            }
            return text.toString();
        }

        boolean finished(int streamId) {
            return frames().stream().anyMatch(f -> f instanceof SpdyDataFrame data && data.streamId() == streamId && data.isLast());
        }
    }

    private static DefaultSpdySynStreamFrame syn(int streamId, String type, int port, String requestId) {
        DefaultSpdySynStreamFrame syn = new DefaultSpdySynStreamFrame(streamId, 0, (byte) 0);
        syn.headers().set("streamtype", type).set("port", String.valueOf(port)).set("requestid", requestId);
        return syn;
    }

    @Test
    void aDataStreamIsATcpConnectionToThePodPort() throws Exception {
        try (ServerSocket pod = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> echoUpperCase(pod));
            Client client = new Client();
            PortForwardSession session = new PortForwardSession("ns/pod",
                    port -> new InetSocketAddress(InetAddress.getLoopbackAddress(), pod.getLocalPort()),
                    Duration.ofSeconds(2), client.fromServer::add);

            session.receive(client.encode(syn(1, "error", 80, "0")));
            session.receive(client.encode(syn(3, "data", 80, "0")));
            session.receive(client.encode(new DefaultSpdyDataFrame(3, Unpooled.copiedBuffer("hello", StandardCharsets.UTF_8))
                    .setLast(true)));

            await().atMost(Duration.ofSeconds(5)).until(() -> client.finished(3));
            assertThat(client.data(3)).isEqualTo("HELLO");
            // Go's SPDY framer refuses a SYN_REPLY without a header block, which Netty omits for empty headers
            assertThat(client.frames()).filteredOn(f -> f instanceof SpdySynReplyFrame).hasSize(2)
                    .allSatisfy(reply -> assertThat(((SpdySynReplyFrame) reply).headers().isEmpty()).isFalse());
            await().atMost(Duration.ofSeconds(5)).until(() -> client.finished(1));
            assertThat(client.data(1)).isEmpty();
            session.close();
            client.frames().forEach(ReferenceCountUtil::release);
        }
    }

    @Test
    void aRefusedConnectionIsReportedOnTheErrorStream() throws IOException {
        int closedPort;
        try (ServerSocket unused = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = unused.getLocalPort();
        }
        Client client = new Client();
        PortForwardSession session = new PortForwardSession("ns/pod",
                port -> new InetSocketAddress(InetAddress.getLoopbackAddress(), closedPort), Duration.ofSeconds(2),
                client.fromServer::add);

        session.receive(client.encode(syn(1, "error", 8080, "7")));
        session.receive(client.encode(syn(3, "data", 8080, "7")));

        assertThat(client.data(1)).startsWith("error forwarding port 8080 to pod ns/pod");
        assertThat(client.finished(1)).isTrue();
        assertThat(client.finished(3)).isTrue();
        session.close();
    }

    @Test
    void pingsAreAnswered() {
        Client client = new Client();
        PortForwardSession session = new PortForwardSession("ns/pod", port -> new InetSocketAddress(port),
                Duration.ofSeconds(1), client.fromServer::add);

        session.receive(client.encode(new DefaultSpdyPingFrame(5)));

        assertThat(client.frames()).singleElement().isInstanceOfSatisfying(SpdyPingFrame.class,
                ping -> assertThat(ping.id()).isEqualTo(5));
        session.close();
    }

    private static void echoUpperCase(ServerSocket server) {
        try (Socket socket = server.accept(); InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
            out.write(new String(in.readAllBytes(), StandardCharsets.UTF_8).toUpperCase().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
