package io.platform.api.testing;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A plain-HTTP loopback server that real kubectl talks to without credentials, with a throwaway
 * kubeconfig and cache folder, for the generators that capture what kubectl sends.
 */
public final class KubectlCaptureServer implements AutoCloseable {

    private final HttpServer server;
    private final Path home;

    private KubectlCaptureServer(HttpServer server, Path home) {
        this.server = server;
        this.home = home;
    }

    public static KubectlCaptureServer start(HttpHandler handler) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", handler);
        server.start();
        Path home = Files.createTempDirectory("kubectl-capture");
        Files.writeString(home.resolve("kubeconfig"), """
                apiVersion: v1
                kind: Config
                clusters: [{name: c, cluster: {server: "http://127.0.0.1:%d"}}]
                contexts: [{name: c, context: {cluster: c, user: u, namespace: default}}]
                current-context: c
                users: [{name: u, user: {}}]
                """.formatted(server.getAddress().getPort()));
        return new KubectlCaptureServer(server, home);
    }

    /** The kubectl command line pointed at this server, to which the caller appends its own arguments. */
    public List<String> kubectl(Path binary) {
        return List.of(binary.toString(), "--kubeconfig", home.resolve("kubeconfig").toString(),
                "--cache-dir", home.resolve("cache").toString());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
