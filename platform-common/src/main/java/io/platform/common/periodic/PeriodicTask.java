package io.platform.common.periodic;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A task run at once and then {@code interval} after each run ends, on a daemon thread of its own; a
 * failed run is logged in one line and the task runs again at the next turn. Closing stops it and
 * waits (bounded) for a run under way.
 */
public final class PeriodicTask implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PeriodicTask.class);
    private static final Duration STOP_WAIT = Duration.ofSeconds(10);

    private final ScheduledExecutorService executor;

    private PeriodicTask(String name, Duration interval, Runnable task) {
        this.executor = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name(name).factory());
        executor.scheduleWithFixedDelay(() -> runQuietly(name, task), 0, interval.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Starts {@code task} under the thread name {@code name}.
     *
     * @throws IllegalArgumentException when {@code interval} is not positive; {@code setting} names it in the message
     */
    public static PeriodicTask start(String name, String setting, Duration interval, Runnable task) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException(setting + " must be positive, got " + interval);
        }
        return new PeriodicTask(name, interval, task);
    }

    private static void runQuietly(String name, Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            log.warn("{} failed, running again at its next turn: {}", name, e.toString());
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
