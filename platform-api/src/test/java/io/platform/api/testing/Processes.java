package io.platform.api.testing;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Stopping the processes tests start (etcd members, databases) without leaving any behind. */
public final class Processes {

    private Processes() {}

    /** SIGTERM, then SIGKILL when it has not exited within {@code grace}; waits (bounded) for the end. */
    public static void stop(Process process, Duration grace) {
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
