package io.platform.common.reconcile;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * A rate-limited, de-duplicating work queue with client-go's guarantees: a key waiting in the queue
 * is held once however often it is added; a key being processed is never handed to a second worker,
 * and if it is added meanwhile it is queued again when the first worker calls {@link #done}; failed
 * keys come back after a per-key exponential back-off. Feeds the {@code workqueue_*} metrics.
 */
public final class WorkQueue<K> implements AutoCloseable {

    private final ExponentialBackoff<K> backoff;
    private final ScheduledExecutorService timer;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition available = lock.newCondition();
    private final ArrayDeque<K> queue = new ArrayDeque<>();
    private final Set<K> dirty = new HashSet<>();
    private final Set<K> processing = new HashSet<>();
    private final Map<K, Long> queuedAt = new HashMap<>();
    private boolean shuttingDown;

    private final Counter adds;
    private final Counter retries;
    private final Timer queueDuration;
    private final Timer workDuration;

    public WorkQueue(String name, ExponentialBackoff<K> backoff, MeterRegistry registry) {
        this.backoff = backoff;
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "workqueue-" + name + "-delay");
            thread.setDaemon(true);
            return thread;
        });
        this.adds = Counter.builder("workqueue.adds").tag("name", name).register(registry);
        this.retries = Counter.builder("workqueue.retries").tag("name", name).register(registry);
        this.queueDuration = Timer.builder("workqueue.queue.duration").tag("name", name).register(registry);
        this.workDuration = Timer.builder("workqueue.work.duration").tag("name", name).register(registry);
        Gauge.builder("workqueue.depth", this, WorkQueue::length).tag("name", name).register(registry);
    }

    /** Marks the key as needing work; repeated adds before it is taken collapse into one. */
    public void add(K key) {
        lock.lock();
        try {
            if (shuttingDown || !dirty.add(key)) {
                return;
            }
            adds.increment();
            queuedAt.put(key, System.nanoTime());
            if (processing.contains(key)) {
                // queued again by done(), so that no two workers hold the same key
                return;
            }
            queue.addLast(key);
            available.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Adds the key once the delay has passed. */
    public void addAfter(K key, Duration delay) {
        if (delay.isZero() || delay.isNegative()) {
            add(key);
            return;
        }
        lock.lock();
        try {
            if (shuttingDown) {
                return;
            }
            timer.schedule(() -> add(key), delay.toNanos(), TimeUnit.NANOSECONDS);
        } finally {
            lock.unlock();
        }
    }

    /** Adds the key after its back-off, which doubles with every call until {@link #forget}. */
    public void addRateLimited(K key) {
        retries.increment();
        addAfter(key, backoff.next(key));
    }

    /** Resets the key's back-off, after it was processed successfully. */
    public void forget(K key) {
        backoff.forget(key);
    }

    public int requeues(K key) {
        return backoff.failures(key);
    }

    /**
     * Blocks until a key is available and marks it as being processed.
     *
     * @return the key, or {@code null} once the queue is shut down
     */
    public @Nullable K take() throws InterruptedException {
        lock.lock();
        try {
            while (queue.isEmpty() && !shuttingDown) {
                available.await();
            }
            if (queue.isEmpty()) {
                return null;
            }
            K key = queue.pollFirst();
            processing.add(key);
            dirty.remove(key);
            Long since = queuedAt.remove(key);
            if (since != null) {
                queueDuration.record(System.nanoTime() - since, TimeUnit.NANOSECONDS);
            }
            return key;
        } finally {
            lock.unlock();
        }
    }

    /** Ends processing of a key taken with {@link #take}; requeues it if it was added meanwhile. */
    public void done(K key, long startedNanos) {
        workDuration.record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
        done(key);
    }

    public void done(K key) {
        lock.lock();
        try {
            processing.remove(key);
            if (dirty.contains(key)) {
                queue.addLast(key);
                available.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Keys waiting to be taken (not those being processed or waiting for a delay). */
    public int length() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    public boolean isShuttingDown() {
        lock.lock();
        try {
            return shuttingDown;
        } finally {
            lock.unlock();
        }
    }

    /** Stops handing out keys; workers blocked in {@link #take} get {@code null}. */
    public void shutDown() {
        lock.lock();
        try {
            shuttingDown = true;
            available.signalAll();
        } finally {
            lock.unlock();
        }
        timer.shutdownNow();
    }

    @Override
    public void close() {
        shutDown();
    }
}
