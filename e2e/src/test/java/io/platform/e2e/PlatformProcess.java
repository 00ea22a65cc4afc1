package io.platform.e2e;

import io.platform.api.testing.Commands;
import io.platform.api.testing.CommandResult;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.awaitility.Awaitility;
import org.jspecify.annotations.Nullable;

/**
 * The platform started exactly as {@code ./platform up} starts it: the runnable jar, one JVM. Every
 * start of one instance uses the same data dir, ports and store, so a restart finds the cluster as
 * it was left.
 */
final class PlatformProcess implements AutoCloseable {

    private final E2eEnvironment env;
    private final Path dataDir;
    private final @Nullable String storeUrl;
    private final int apiPort;
    private final int consolePort;
    private final int agentPort;
    private final Path log;
    private Process process;

    /** {@code storeUrl} is {@code up}'s {@code --store}; null keeps its default, the data dir's SQLite file. */
    PlatformProcess(E2eEnvironment env, Path dataDir, @Nullable String storeUrl) {
        this.env = env;
        this.dataDir = dataDir;
        this.storeUrl = storeUrl;
        this.apiPort = E2eEnvironment.freePort();
        this.consolePort = E2eEnvironment.freePort();
        this.agentPort = E2eEnvironment.freePort();
        this.log = dataDir.resolveSibling(dataDir.getFileName() + "-platform.log");
    }

    Path kubeconfig() {
        return dataDir.resolve("admin.kubeconfig");
    }

    int consolePort() {
        return consolePort;
    }

    Path log() {
        return log;
    }

    /** Starts {@code up} and waits until the API server is ready and the node is registered. */
    void start() throws IOException {
        List<String> command = new ArrayList<>(List.of(java(), "--enable-native-access=ALL-UNNAMED",
                "-XX:+UseSerialGC", "-jar", env.jar().toString(), "up",
                "--data-dir", dataDir.toString(),
                "--api-port", String.valueOf(apiPort),
                "--console-port", String.valueOf(consolePort),
                "--agent-port", String.valueOf(agentPort)));
        if (storeUrl != null) {
            command.addAll(List.of("--store", storeUrl));
        }
        process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        Awaitility.await("API server /readyz (log: " + log + ")")
                .atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new AssertionError("platform exited with " + process.exitValue() + "; log:\n" + tail());
                    }
                    return Files.exists(dataDir.resolve("pki/ca.crt")) && ready(caTrustingClient());
                });
    }

    private boolean ready(HttpClient http) {
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + apiPort + "/readyz"))
                            .timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && Files.exists(kubeconfig());
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Stops the JVM as Ctrl-C would (SIGTERM), leaving pod containers running. */
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    /** {@code platform down}: removes the pod containers too. */
    CommandResult down() {
        return Commands.run(List.of(java(), "--enable-native-access=ALL-UNNAMED", "-jar", env.jar().toString(),
                "down", "--data-dir", dataDir.toString()), Duration.ofSeconds(90));
    }

    String tail() {
        return LogTail.of(log);
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Trusts exactly the cluster CA that {@code up} wrote into the data dir. */
    private HttpClient caTrustingClient() {
        try (var in = Files.newInputStream(dataDir.resolve("pki/ca.crt"))) {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(2)).build();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot trust " + dataDir.resolve("pki/ca.crt"), e);
        }
    }
}
