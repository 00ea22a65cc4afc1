package io.platform.console.overview;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.platform.console.ConsoleProperties;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Reads nodes and pods through the API on one background thread and keeps the latest result, so
 * any number of open pages cost one read per interval and no page ever waits on the network. It
 * reads only while a page asked for a snapshot recently.
 */
@Component
public class ClusterSnapshots implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ClusterSnapshots.class);
    // A page polls every interval; after this many missed polls nobody is looking.
    private static final int IDLE_INTERVALS = 3;

    private final KubernetesClient client;
    private final Duration interval;
    private final Duration requestTimeout;
    private final Clock clock;
    private final AtomicBoolean readQueued = new AtomicBoolean();
    private volatile ClusterSnapshot latest = ClusterSnapshot.notReadYet();
    private volatile Instant lastDemand = Instant.EPOCH;
    private volatile @Nullable ScheduledExecutorService executor;

    ClusterSnapshots(KubernetesClient client, ConsoleProperties properties, Clock clock) {
        this.client = client;
        this.interval = properties.refreshInterval();
        this.requestTimeout = properties.requestTimeout();
        this.clock = clock;
    }

    /** The latest snapshot; asks for a fresh read when it is older than the refresh interval. */
    public ClusterSnapshot latest() {
        Instant now = clock.instant();
        lastDemand = now;
        ClusterSnapshot current = latest;
        ScheduledExecutorService running = executor;
        boolean stale = current.readAt() == null || current.readAt().plus(interval).isBefore(now)
                || current.error() != null;
        if (stale && running != null && readQueued.compareAndSet(false, true)) {
            running.execute(this::read);
        }
        return current;
    }

    private void readIfWatched() {
        if (Duration.between(lastDemand, clock.instant()).compareTo(interval.multipliedBy(IDLE_INTERVALS)) <= 0
                && readQueued.compareAndSet(false, true)) {
            read();
        }
    }

    void read() {
        try {
            ClusterSnapshot fresh = ClusterSnapshot.of(client.nodes().list().getItems(),
                    client.pods().inAnyNamespace().list().getItems(), clock.instant());
            if (latest.error() != null) {
                log.info("API server {} reachable again", client.getMasterUrl());
            }
            latest = fresh;
        } catch (KubernetesClientException e) {
            String reason = describe(e);
            if (latest.error() == null) {
                log.warn("{}", reason);
            }
            latest = latest.failed(reason);
        } finally {
            readQueued.set(false);
        }
    }

    private String describe(KubernetesClientException e) {
        String base = "Cannot reach the API server at " + client.getMasterUrl();
        if (e.getCode() == 401 || e.getCode() == 403) {
            return base + ": the console's credentials were refused (HTTP " + e.getCode() + ")";
        }
        if (e.getCode() > 0) {
            return base + ": HTTP " + e.getCode() + " " + e.getMessage();
        }
        return base + ": " + cause(e);
    }

    // The JDK HTTP client wraps the telling exception several layers deep; name the kind of failure.
    private String cause(Throwable failure) {
        Throwable last = failure;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConnectException) {
                return "connection refused";
            }
            if (t instanceof HttpTimeoutException || t instanceof SocketTimeoutException) {
                return "no answer within " + requestTimeout.toMillis() + " ms";
            }
            if (t instanceof SSLException) {
                return "TLS failed: " + t.getMessage();
            }
            if (t instanceof UnknownHostException) {
                return "unknown host " + t.getMessage();
            }
            last = t;
        }
        return last.getMessage() == null ? last.getClass().getSimpleName() : last.getMessage();
    }

    @Override
    public void start() {
        ScheduledExecutorService started = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("console-cluster-reader").daemon().factory());
        started.scheduleWithFixedDelay(this::readIfWatched, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        executor = started;
    }

    @Override
    public void stop() {
        ScheduledExecutorService running = executor;
        executor = null;
        if (running != null) {
            running.shutdownNow();
        }
    }

    @Override
    public boolean isRunning() {
        return executor != null;
    }
}
