package io.platform.agent.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.TCPSocketActionBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TcpSocketHandlerTest {

    private final TcpSocketHandler handler = new TcpSocketHandler(new FakeRuntime());

    @Test
    void anOpenPortSucceedsByNameOrNumber() throws IOException {
        try (ServerSocket listener = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            var container = new ContainerBuilder().withName("db").addNewPort().withName("sql")
                    .withContainerPort(listener.getLocalPort()).endPort().build();

            assertThat(handler.probe(new TCPSocketActionBuilder().withPort(new IntOrString("sql")).build(), container,
                    FakeRuntime.sandbox(), Duration.ofSeconds(1)).succeeded()).isTrue();
            assertThat(handler.probe(new TCPSocketActionBuilder().withPort(new IntOrString(listener.getLocalPort()))
                    .withHost("127.0.0.1").build(), container, null, Duration.ofSeconds(1)).succeeded()).isTrue();
        }
    }

    @Test
    void aClosedPortFails() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }

        HandlerResult result = handler.probe(new TCPSocketActionBuilder().withPort(new IntOrString(closed)).build(),
                null, FakeRuntime.sandbox(), Duration.ofSeconds(1));

        assertThat(result.outcome()).isEqualTo(HandlerResult.Outcome.FAILURE);
        assertThat(result.output()).isEqualTo("dial tcp 127.0.0.1:" + closed + ": connect: connection refused");
    }

    @Test
    void anInvalidPortIsAnError() {
        HandlerResult result = handler.probe(new TCPSocketActionBuilder().withPort(new IntOrString(70000)).build(),
                null, FakeRuntime.sandbox(), Duration.ofSeconds(1));

        assertThat(result).isEqualTo(HandlerResult.error("invalid port number: 70000"));
    }
}
