package io.platform.api.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The real kubectl binary, pointed at one kubeconfig, with its own cache folder. */
public final class Kubectl {

    private final Path binary;
    private final Path kubeconfig;
    private final Path cacheDir;

    public Kubectl(Path binary, Path kubeconfig, Path cacheDir) {
        this.binary = binary;
        this.kubeconfig = kubeconfig;
        this.cacheDir = cacheDir;
    }

    /**
     * Writes a kubeconfig for {@code serverUrl} trusting {@code caFile} with a user that holds no credentials, for
     * commands that bring their own ({@code --token}, an exec plugin added later); returns its path.
     */
    public static Path credentiallessKubeconfig(Path file, String serverUrl, Path caFile) throws IOException {
        Files.writeString(file, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: platform
                  cluster:
                    server: "%s"
                    certificate-authority: "%s"
                users:
                - name: nobody
                  user: {}
                contexts:
                - name: nobody@platform
                  context:
                    cluster: platform
                    user: nobody
                current-context: nobody@platform
                """.formatted(serverUrl, caFile));
        return file;
    }

    /** Runs kubectl and fails the test unless it exits 0; returns its stdout. */
    public String ok(String... args) {
        return run(args).requireSuccess().stdout();
    }

    public CommandResult run(String... args) {
        return run(Map.of(), null, args);
    }

    /** Runs kubectl with extra environment variables (e.g. {@code KUBE_EDITOR}) and optional stdin. */
    public CommandResult run(Map<String, String> environment, @Nullable String stdin, String... args) {
        return Commands.run(command(args), environment, stdin, Duration.ofMinutes(3));
    }

    /** Starts kubectl in the background, e.g. {@code get -w} or {@code wait}. */
    public BackgroundCommand start(String... args) {
        return BackgroundCommand.start(command(args));
    }

    private List<String> command(String... args) {
        List<String> command = new ArrayList<>(List.of(binary.toString(),
                "--kubeconfig", kubeconfig.toString(), "--cache-dir", cacheDir.toString(), "--request-timeout", "60s"));
        command.addAll(List.of(args));
        return command;
    }
}
