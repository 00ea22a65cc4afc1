package io.platform.api.testing;

import io.platform.api.ApiServerApplication;
import io.platform.api.pki.ClusterPki;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A real API server for other modules' integration tests (shipped in platform-api's test jar): HTTPS
 * on a free loopback port, its own temporary data dir with the cluster PKI and every component's
 * kubeconfig, the SQLite store. Close it to stop the server and delete the data dir.
 */
public final class RunningApiServer implements AutoCloseable {

    private final Path dataDir;
    private final ClusterPki pki;
    private final ConfigurableApplicationContext context;
    private final int port;

    private RunningApiServer(Path dataDir, ClusterPki pki, ConfigurableApplicationContext context, int port) {
        this.dataDir = dataDir;
        this.pki = pki;
        this.context = context;
        this.port = port;
    }

    /** Starts a server whose PKI includes a node agent certificate and kubeconfig for {@code nodeName}. */
    public static RunningApiServer start(String nodeName) {
        return start(nodeName, Map.of());
    }

    /**
     * Starts a server as {@link #start(String)} does, with {@code extraProperties} added to (or replacing) its
     * Spring properties, e.g. {@code platform.api.storage.url} to run it on another store backend.
     */
    public static RunningApiServer start(String nodeName, Map<String, ?> extraProperties) {
        try {
            Path dataDir = Files.createTempDirectory("platform-api-it");
            int port = freePort();
            ClusterPki pki = ClusterPki.loadOrCreate(dataDir, "https://127.0.0.1:" + port, nodeName, "127.0.0.1");
            Map<String, Object> properties = new HashMap<>(ApiServerApplication.defaultProperties(dataDir, port));
            properties.put("server.address", "127.0.0.1");
            properties.put("platform.api.storage.poll-interval", "200ms");
            properties.put("spring.main.banner-mode", "off");
            properties.putAll(extraProperties);
            ConfigurableApplicationContext context = ApiServerApplication.builder().properties(properties).run();
            return new RunningApiServer(dataDir, pki, context, port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public ClusterPki pki() {
        return pki;
    }

    public Path dataDir() {
        return dataDir;
    }

    public String url() {
        return "https://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        context.close();
        try (Stream<Path> paths = Files.walk(dataDir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
