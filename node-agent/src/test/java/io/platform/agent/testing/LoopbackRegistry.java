package io.platform.agent.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.platform.agent.volume.AtomicVolumeWriter;
import io.platform.api.testing.Processes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * Debian's {@code docker-registry} (the distribution registry) on a loopback port with one
 * htpasswd user, so pulls and pull secrets are tested against a real registry. The Docker engine
 * treats 127.0.0.0/8 registries as insecure, so plain HTTP works.
 */
public final class LoopbackRegistry implements AutoCloseable {

    public static final Path BINARY = Path.of("/usr/bin/docker-registry");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

    private final Path dir;
    private final Process process;
    private final int port;

    private LoopbackRegistry(Path dir, Process process, int port) {
        this.dir = dir;
        this.process = process;
        this.port = port;
    }

    /** Skips the calling test unless the registry is installed (.ci/run installs Debian's docker-registry). */
    public static void assumeInstalled() {
        assumeTrue(Files.isExecutable(BINARY), "no " + BINARY + ": install Debian's docker-registry to run registry tests");
    }

    /** Starts a registry whose only user is {@code username} with {@code password}. */
    public static LoopbackRegistry start(String username, String password) {
        assumeInstalled();
        try {
            Path dir = Files.createTempDirectory("registry");
            int port;
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = socket.getLocalPort();
            }
            Files.writeString(dir.resolve("htpasswd"), username + ":" + new BCryptPasswordEncoder().encode(password) + "\n");
            Path config = Files.writeString(dir.resolve("config.yml"), """
                    version: 0.1
                    log:
                      level: warn
                    storage:
                      filesystem:
                        rootdirectory: %s
                      delete:
                        enabled: true
                    http:
                      addr: 127.0.0.1:%d
                      secret: loopback-test-registry
                    auth:
                      htpasswd:
                        realm: test-registry
                        path: %s
                    """.formatted(dir.resolve("data"), port, dir.resolve("htpasswd")));
            Process process = new ProcessBuilder(BINARY.toString(), "serve", config.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("registry.log").toFile())
                    .start();
            LoopbackRegistry registry = new LoopbackRegistry(dir, process, port);
            registry.awaitListening();
            return registry;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code 127.0.0.1:<port>}, the registry part of image references. */
    public String host() {
        return "127.0.0.1:" + port;
    }

    private void awaitListening() throws IOException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException notYet) {
                try {
                    process.waitFor(50, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        String log = Files.readString(dir.resolve("registry.log"));
        close();
        throw new IllegalStateException("the registry did not listen on " + host() + ":\n" + log);
    }

    @Override
    public void close() {
        Processes.stop(process, Duration.ofSeconds(5));
        try {
            AtomicVolumeWriter.deleteTree(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
