package io.platform.agent.probe;

import io.platform.agent.runtime.ContainerRuntime;
import io.platform.agent.runtime.ExecRequest;
import io.platform.agent.runtime.ExecSession;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * The {@code exec} handler, as the kubelet's exec prober: the command in the running container
 * without stdin, success on exit code 0, stdout and stderr together as its output (at most 10 KiB);
 * past the timeout the exec is ended and the probe fails.
 */
final class ExecHandler {

    /** The kubelet keeps this much of a probe's output. */
    static final int MAX_OUTPUT = 10 * 1024;

    private final ContainerRuntime runtime;

    ExecHandler(ContainerRuntime runtime) {
        this.runtime = runtime;
    }

    /** The command's exit code and output, or a failure/error result without one. */
    Outcome run(String containerId, List<String> command, Duration timeout) throws InterruptedException {
        ExecSession session;
        try {
            session = runtime.exec(containerId, new ExecRequest(List.copyOf(command), false, true, true, false));
        } catch (IOException | RuntimeException e) {
            return new Outcome(null, "", false, "failed to exec in container: " + e.getMessage());
        }
        BoundedOutput output = new BoundedOutput();
        try (session) {
            Thread stdout = Thread.ofVirtual().name("exec-probe-out").start(() -> output.drain(session.stdout()));
            Thread stderr = Thread.ofVirtual().name("exec-probe-err").start(() -> output.drain(session.stderr()));
            CompletableFuture<Integer> exit = new CompletableFuture<>();
            Thread waiter = Thread.ofVirtual().name("exec-probe-exit").start(() -> {
                try {
                    exit.complete(session.awaitExit());
                } catch (InterruptedException e) {
                    exit.completeExceptionally(e);
                } catch (RuntimeException e) {
                    exit.completeExceptionally(e);
                }
            });
            long deadline = System.nanoTime() + timeout.toNanos();
            int code;
            try {
                code = exit.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                waiter.interrupt();
                return new Outcome(null, output.text(), true, "command \"" + String.join(" ", command) + "\" timed out");
            } catch (ExecutionException e) {
                return new Outcome(null, output.text(), false, "failed to exec in container: " + e.getCause().getMessage());
            }
            // the streams end with the process; what is left of the timeout bounds the wait for their last bytes
            stdout.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            stderr.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            return new Outcome(code, output.text(), false, "");
        }
    }

    /** A probe: exit 0 succeeds; a timeout fails; a runtime that cannot exec is an error. */
    HandlerResult probe(String containerId, List<String> command, Duration timeout) throws InterruptedException {
        Outcome outcome = run(containerId, command, timeout);
        if (outcome.exitCode() != null) {
            return outcome.exitCode() == 0 ? HandlerResult.success(outcome.output()) : HandlerResult.failure(outcome.output());
        }
        if (outcome.timedOut()) {
            return HandlerResult.failure(outcome.output().isEmpty() ? outcome.problem() : outcome.output());
        }
        return HandlerResult.error(outcome.problem());
    }

    /**
     * @param exitCode the command's exit code when it ended
     * @param timedOut it ran past the timeout and was ended
     * @param problem why there is no exit code (empty with one)
     */
    record Outcome(@Nullable Integer exitCode, String output, boolean timedOut, String problem) {}

    /** Stdout and stderr as they arrive, the first {@link #MAX_OUTPUT} bytes kept. */
    private static final class BoundedOutput {

        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        void drain(InputStream in) {
            byte[] buffer = new byte[4096];
            try (in) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    append(buffer, n);
                }
            } catch (IOException e) {
                // the exec ended or was closed: what arrived is the output
            }
        }

        private synchronized void append(byte[] buffer, int n) {
            int room = MAX_OUTPUT - bytes.size();
            if (room > 0) {
                bytes.write(buffer, 0, Math.min(room, n));
            }
        }

        synchronized String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }
}
