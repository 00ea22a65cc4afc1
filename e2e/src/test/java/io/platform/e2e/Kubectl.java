package io.platform.e2e;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The real kubectl binary, pointed at one kubeconfig, with its own cache folder. */
final class Kubectl {

    private final Path binary;
    private final Path kubeconfig;
    private final Path cacheDir;

    Kubectl(Path binary, Path kubeconfig, Path cacheDir) {
        this.binary = binary;
        this.kubeconfig = kubeconfig;
        this.cacheDir = cacheDir;
    }

    /** Runs kubectl and fails the test unless it exits 0; returns its stdout. */
    String ok(String... args) {
        return run(args).requireSuccess().stdout();
    }

    CommandResult run(String... args) {
        List<String> command = new ArrayList<>(List.of(binary.toString(),
                "--kubeconfig", kubeconfig.toString(), "--cache-dir", cacheDir.toString(), "--request-timeout", "60s"));
        command.addAll(List.of(args));
        return Commands.run(command, Duration.ofMinutes(3));
    }
}
