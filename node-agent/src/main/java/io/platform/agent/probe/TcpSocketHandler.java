package io.platform.agent.probe;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.TCPSocketAction;
import io.platform.agent.runtime.ContainerInstance;
import io.platform.agent.runtime.ContainerRuntime;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** The {@code tcpSocket} handler, as the kubelet's TCP prober: success when a connection opens within the timeout. */
final class TcpSocketHandler {

    private final ContainerRuntime runtime;

    TcpSocketHandler(ContainerRuntime runtime) {
        this.runtime = runtime;
    }

    HandlerResult probe(TCPSocketAction action, @Nullable Container container, @Nullable ContainerInstance sandbox,
            Duration timeout) {
        InetSocketAddress target;
        try {
            int port = ContainerPorts.resolve(action.getPort(), container);
            String host = action.getHost();
            if (host != null && !host.isBlank()) {
                target = new InetSocketAddress(host, port);
            } else if (sandbox == null || sandbox.ipAddress() == null) {
                return HandlerResult.error("the pod has no IP address yet");
            } else {
                target = runtime.podPort(sandbox, port);
            }
        } catch (IllegalArgumentException e) {
            return HandlerResult.error(String.valueOf(e.getMessage()));
        }
        String dial = "dial tcp " + target.getHostString() + ":" + target.getPort() + ": ";
        if (target.isUnresolved()) {
            return HandlerResult.failure(dial + "lookup " + target.getHostString() + ": no such host");
        }
        try (Socket socket = new Socket()) {
            socket.connect(target, (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis())));
            return HandlerResult.success("");
        } catch (SocketTimeoutException e) {
            return HandlerResult.failure(dial + "i/o timeout");
        } catch (IOException e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return HandlerResult.failure(dial + "connect: " + message.toLowerCase(Locale.ROOT));
        }
    }
}
