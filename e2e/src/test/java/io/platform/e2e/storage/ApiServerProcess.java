package io.platform.e2e.storage;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.platform.common.client.KubeconfigClients;
import io.platform.e2e.LogTail;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.jspecify.annotations.Nullable;

/**
 * One API server as its own JVM: the runnable jar's {@code up --components api} on a data dir and a
 * store url (null keeps the default, SQLite in the data dir), on a free loopback port. It can be
 * killed with SIGKILL and started again on the same data dir, store and port.
 */
final class ApiServerProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    /** Files of a data dir that make another API server part of the same cluster: CA, credentials, id. */
    private static final List<String> CREDENTIALS = List.of("cluster-id", "pki");

    private final Path jar;
    private final Path dataDir;
    private final @Nullable String storeUrl;
    private final int apiPort;
    private final Path log;
    private @Nullable Process process;
    private @Nullable KubernetesClient probe;

    ApiServerProcess(Path jar, Path dataDir, @Nullable String storeUrl) {
        this.jar = jar;
        this.dataDir = dataDir;
        this.storeUrl = storeUrl;
        this.apiPort = Loopback.freePort();
        this.log = dataDir.resolveSibling(dataDir.getFileName() + "-api.log");
    }

    String url() {
        return "https://127.0.0.1:" + apiPort;
    }

    Path dataDir() {
        return dataDir;
    }

    /**
     * Starts the JVM and waits until {@code /readyz} answers 200.
     *
     * @return how long that took, from launching the JVM
     */
    Duration start() {
        long begin = System.nanoTime();
        launch();
        awaitReady();
        return Duration.ofNanos(System.nanoTime() - begin);
    }

    /** Starts the JVM without waiting for it. */
    void launch() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("the API server on " + dataDir + " already runs");
        }
        List<String> command = new ArrayList<>(List.of(java(), "--enable-native-access=ALL-UNNAMED",
                // most of a start is the JVM warming up on two cores: a small heap and C1 only, as for a test server
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx512m",
                "-jar", jar.toString(), "up",
                "--data-dir", dataDir.toString(),
                "--api-port", String.valueOf(apiPort),
                "--components", "api"));
        if (storeUrl != null) {
            command.addAll(List.of("--store", storeUrl));
        }
        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    /** Waits until the launched JVM answers {@code /readyz} with 200. */
    void awaitReady() {
        awaitRunning("API server /readyz on " + url(), this::ready);
    }

    /**
     * Waits until the launched JVM has written the cluster's credentials (on a first start, the
     * kubeconfigs come after every certificate), long before it serves.
     */
    void awaitCredentials() {
        awaitRunning("credentials in " + dataDir, () -> Files.exists(adminKubeconfig()));
    }

    private void awaitRunning(String what, Callable<Boolean> condition) {
        Process started = process;
        if (started == null) {
            throw new IllegalStateException("the API server on " + dataDir + " was not launched");
        }
        Awaitility.await(what + " (log: " + log + ")")
                .atMost(START_TIMEOUT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    if (!started.isAlive()) {
                        throw new AssertionError("the API server exited with " + started.exitValue() + "; log:\n"
                                + tail());
                    }
                    return condition.call();
                });
    }

    private boolean ready() {
        if (probe == null) {
            if (!Files.exists(adminKubeconfig())) {
                return false;
            }
            probe = client();
        }
        try {
            return "ok".equals(probe.raw(url() + "/readyz"));
        } catch (KubernetesClientException e) {
            return false;
        }
    }

    /** SIGKILL: the JVM gets no chance to finish a request, flush or close anything. */
    void kill() {
        if (process != null) {
            process.destroyForcibly();
            awaitExit(process);
        }
    }

    /** SIGTERM, as Ctrl-C stops {@code up}; SIGKILL if it has not exited after 30 s. */
    void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
            awaitExit(process);
        }
    }

    private static void awaitExit(Process process) {
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("pid " + process.pid() + " did not exit within 30 s of SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for pid " + process.pid() + " to exit", e);
        }
    }

    Path adminKubeconfig() {
        return dataDir.resolve("admin.kubeconfig");
    }

    /**
     * A fabric8 client of this server as cluster admin, without fabric8's request retries: a test
     * must see each request's own answer (a retried create could hide a failure or repeat a write).
     */
    KubernetesClient client() {
        return client(adminKubeconfig());
    }

    /** As {@link #client()}, with the credentials of {@code kubeconfig} (e.g. another server's of the cluster). */
    KubernetesClient client(Path kubeconfig) {
        Config config = KubeconfigClients.config(kubeconfig);
        config.setMasterUrl(url());
        config.setRequestRetryBackoffLimit(0);
        config.setRequestTimeout((int) Duration.ofSeconds(20).toMillis());
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    /**
     * Gives {@code other} (an empty data dir of another API server) this cluster's CA, credentials
     * and id, so each server trusts the other's clients; its kubeconfigs are written on its start.
     */
    void copyCredentialsTo(Path other) {
        try {
            for (String name : CREDENTIALS) {
                Path source = dataDir.resolve(name);
                try (Stream<Path> files = Files.walk(source)) {
                    for (Path file : files.toList()) {
                        Path target = other.resolve(dataDir.relativize(file));
                        if (Files.isDirectory(file)) {
                            Files.createDirectories(target);
                        } else {
                            Files.copy(file, target);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the credentials of " + dataDir + " to " + other, e);
        }
    }

    String tail() {
        return LogTail.of(log);
    }

    @Override
    public void close() {
        if (probe != null) {
            probe.close();
        }
        stop();
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
