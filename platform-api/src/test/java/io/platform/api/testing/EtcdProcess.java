package io.platform.api.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * One etcd member for tests: Debian's {@code /usr/bin/etcd} (etcd-server 3.4) on free loopback
 * ports with its own temporary data dir, plain or with TLS and client-certificate authentication.
 * Tests that need it are skipped (an assumption, not a failure) when etcd is not installed. Close
 * it to stop the member and delete its data.
 */
public final class EtcdProcess implements AutoCloseable {

    public static final Path BINARY = Path.of("/usr/bin/etcd");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    /** Serving certificate, its key and the CA that must sign client certificates, for a TLS member. */
    public record Tls(Path certFile, Path keyFile, Path clientCaFile) {}

    private final Path dir;
    private final Process process;
    private final int clientPort;
    private final boolean tls;

    private EtcdProcess(Path dir, Process process, int clientPort, boolean tls) {
        this.dir = dir;
        this.process = process;
        this.clientPort = clientPort;
        this.tls = tls;
    }

    /** Skips the calling test when etcd is not installed. */
    public static void assumeInstalled() {
        assumeTrue(Files.isExecutable(BINARY),
                BINARY + " not found: install Debian's etcd-server (apt-get install etcd-server) to run the etcd tests");
    }

    /** A plain-HTTP member. */
    public static EtcdProcess start() {
        return start(null);
    }

    /** A member serving TLS on its client port and requiring client certificates signed by {@code tls}'s CA. */
    public static EtcdProcess start(@Nullable Tls tls) {
        assumeInstalled();
        Path dir = null;
        try {
            dir = Files.createTempDirectory("etcd-test");
            int clientPort = freePort();
            int peerPort = freePort();
            String scheme = tls == null ? "http" : "https";
            String client = scheme + "://127.0.0.1:" + clientPort;
            String peer = "http://127.0.0.1:" + peerPort;
            List<String> command = new ArrayList<>(List.of(BINARY.toString(),
                    "--name", "test",
                    "--data-dir", dir.resolve("data").toString(),
                    "--listen-client-urls", client,
                    "--advertise-client-urls", client,
                    "--listen-peer-urls", peer,
                    "--initial-advertise-peer-urls", peer,
                    "--initial-cluster", "test=" + peer,
                    "--log-level", "warn"));
            if (tls != null) {
                command.addAll(List.of("--cert-file", tls.certFile().toString(), "--key-file", tls.keyFile().toString(),
                        "--client-cert-auth", "--trusted-ca-file", tls.clientCaFile().toString()));
            }
            Path log = dir.resolve("etcd.log");
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            EtcdProcess etcd = new EtcdProcess(dir, process, clientPort, tls != null);
            etcd.awaitListening(log);
            return etcd;
        } catch (IOException e) {
            if (dir != null) {
                delete(dir);
            }
            throw new UncheckedIOException("cannot start " + BINARY, e);
        }
    }

    /** Waits until the client port accepts connections; etcd opens it once it is ready to serve. */
    private void awaitListening(Path log) throws IOException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                String output = Files.readString(log);
                delete(dir);
                throw new IllegalStateException("etcd exited with " + process.exitValue() + ":\n" + output);
            }
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), clientPort)) {
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
        String output = Files.readString(log);
        close();
        throw new IllegalStateException("etcd did not listen on port " + clientPort + " within " + START_TIMEOUT
                + ":\n" + output);
    }

    /** The client url, {@code http://127.0.0.1:PORT} (or https). */
    public String endpoint() {
        return (tls ? "https" : "http") + "://127.0.0.1:" + clientPort;
    }

    /** The store url naming this member: {@code etcd://127.0.0.1:PORT} (or etcds). */
    public String storeUrl() {
        return (tls ? "etcds" : "etcd") + "://127.0.0.1:" + clientPort;
    }

    public int clientPort() {
        return clientPort;
    }

    public Path dir() {
        return dir;
    }

    @Override
    public void close() {
        Processes.stop(process, Duration.ofSeconds(10));
        delete(dir);
    }

    static void delete(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
