package io.platform.e2e;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What an e2e suite runs against: the Docker engine and network namespace that
 * {@code e2e/run-tests.sh} made, the runnable jar and the real kubectl.
 */
record E2eEnvironment(Path root, Path jar, String dockerHost, Path kubectl) {

    static final String KUBECTL_DEFAULT = "/usr/lib/google-cloud-sdk/bin/kubectl.1.32";
    private static final String JAR = "platform-server-exec.jar";

    /** Skips the calling suite, saying why, unless run by {@code ./platform test} as root. */
    static E2eEnvironment require() {
        assumeTrue("1".equals(System.getenv("PLATFORM_E2E")),
                "e2e suites run through ./platform test (it makes the network namespace and Docker engine)");
        Path root = Path.of(System.getenv("PLATFORM_ROOT"));
        Path jar = jar(root);
        assumeTrue(Files.isRegularFile(jar), "no " + jar + ": build the platform first");
        Path kubectl = Path.of(System.getenv().getOrDefault("PLATFORM_KUBECTL", KUBECTL_DEFAULT));
        assumeTrue(Files.isExecutable(kubectl), "no kubectl at " + kubectl);
        return new E2eEnvironment(root, jar, System.getenv("DOCKER_HOST"), kubectl);
    }

    /**
     * The runnable jar in the build's own output folder ({@code -Dplatform.target=target-x}, so parallel
     * builds never share one) when it has one, else in {@code platform-server/target}.
     */
    private static Path jar(Path root) {
        Path server = root.resolve("platform-server");
        Path own = server.resolve(System.getProperty("platform.target", "target")).resolve(JAR);
        return Files.isRegularFile(own) ? own : server.resolve("target").resolve(JAR);
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }
}
