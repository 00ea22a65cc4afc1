package io.platform.server;

import io.platform.api.pki.ClusterPki;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ConfigurableApplicationContext;

/** The components one {@code up} started; closing stops them in reverse order and removes the pid file. */
final class RunningPlatform implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RunningPlatform.class);

    record Started(Component component, ConfigurableApplicationContext context) {}

    private final UpOptions options;
    private final ClusterPki pki;
    private final PidFile pidFile;
    private final List<Started> started = new ArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final ScheduledExecutorService renewal = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("certificate-renewal").factory());

    RunningPlatform(UpOptions options, ClusterPki pki, PidFile pidFile) {
        this.options = options;
        this.pki = pki;
        this.pidFile = pidFile;
    }

    /** Runs {@code renewal} daily until the platform stops. */
    void renewDaily(Runnable renewal) {
        this.renewal.scheduleWithFixedDelay(renewal, 1, 1, TimeUnit.DAYS);
    }

    void add(Component component, ConfigurableApplicationContext context) {
        started.add(new Started(component, context));
    }

    List<Started> started() {
        return List.copyOf(started);
    }

    Optional<ConfigurableApplicationContext> context(Component component) {
        return started.stream().filter(s -> s.component() == component).map(Started::context).findFirst();
    }

    UpOptions options() {
        return options;
    }

    ClusterPki pki() {
        return pki;
    }

    /** Blocks until {@link #close()} finished (from the shutdown hook, Ctrl-C). */
    void awaitClosed() throws InterruptedException {
        stopped.await();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        renewal.shutdownNow();
        try {
            for (Started component : started.reversed()) {
                long begin = System.nanoTime();
                try {
                    component.context().close();
                    log.info("{} stopped in {}", component.component().flag(), PlatformLauncher.seconds(begin));
                } catch (RuntimeException e) {
                    log.error("{} did not stop cleanly: {}", component.component().flag(), PlatformLauncher.reason(e));
                }
            }
            pidFile.removeIfCurrent();
        } finally {
            stopped.countDown();
        }
    }

    static String formatDuration(Duration duration) {
        return String.format("%.1fs", duration.toMillis() / 1000.0);
    }
}
