package io.platform.e2e;

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
