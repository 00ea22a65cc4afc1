package io.platform.api.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A command left running while the test does other things (a {@code kubectl get -w}, a {@code kubectl wait});
 * its output is readable at any time. Closing it stops the process if it is still running.
 */
public final class BackgroundCommand implements AutoCloseable {

    private final List<String> command;
    private final Process process;
    private final Path out;
    private final Path err;

    private BackgroundCommand(List<String> command, Process process, Path out, Path err) {
        this.command = command;
        this.process = process;
        this.out = out;
        this.err = err;
    }

    public static BackgroundCommand start(List<String> command) {
        try {
            Path out = Files.createTempFile("bg", ".out");
            Path err = Files.createTempFile("bg", ".err");
            Process process = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            return new BackgroundCommand(command, process, out, err);
        } catch (IOException e) {
            throw new AssertionError("cannot start " + command, e);
        }
    }

    /** What the command printed on stdout so far. */
    public String stdout() {
        return read(out);
    }

    public String stderr() {
        return read(err);
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    /** Waits for the command to exit by itself and returns its result. */
    public CommandResult awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout
                        + "\nstdout:\n" + stdout() + "\nstderr:\n" + stderr());
            }
            return new CommandResult(command, process.exitValue(), stdout(), stderr());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for " + command, e);
        }
    }

    @Override
    public void close() {
        try {
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            }
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
