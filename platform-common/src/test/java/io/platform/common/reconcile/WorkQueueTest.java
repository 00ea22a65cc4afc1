package io.platform.common.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WorkQueueTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final WorkQueue<String> queue =
            new WorkQueue<>("test", new ExponentialBackoff<>(Duration.ofMillis(10), Duration.ofSeconds(1)), registry);

    @AfterEach
    void shutDown() {
        queue.shutDown();
    }

    @Test
    void repeatedAddsOfAWaitingKeyCollapseIntoOne() throws InterruptedException {
        queue.add("a");
        queue.add("b");
        queue.add("a");
        queue.add("a");

        assertThat(queue.length()).isEqualTo(2);
        assertThat(queue.take()).isEqualTo("a");
        assertThat(queue.take()).isEqualTo("b");
        assertThat(queue.length()).isZero();
        assertThat(registry.get("workqueue.adds").counter().count()).isEqualTo(2);
    }

    @Test
    void aKeyAddedWhileBeingProcessedIsHandedOutOnlyAfterDone() throws InterruptedException {
        queue.add("a");
        String taken = queue.take();
        queue.add("a");
        queue.add("a");

        assertThat(queue.length()).as("a is held back while being processed").isZero();
        queue.done(taken);
        assertThat(queue.length()).isEqualTo(1);
        assertThat(queue.take()).isEqualTo("a");
        queue.done("a");
        assertThat(queue.length()).isZero();
    }

    @Test
    void noKeyIsEverProcessedByTwoWorkersAtOnce() throws InterruptedException {
        int workers = 4;
        int keys = 5;
        int addsPerKey = 200;
        ConcurrentHashMap<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
        AtomicInteger overlaps = new AtomicInteger();
        AtomicInteger processed = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    String key;
                    while ((key = queue.take()) != null) {
                        if (inFlight.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet() > 1) {
                            overlaps.incrementAndGet();
                        }
                        Thread.onSpinWait();
                        inFlight.get(key).decrementAndGet();
                        processed.incrementAndGet();
                        queue.done(key);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> producers = new ArrayList<>();
        for (int k = 0; k < keys; k++) {
            String key = "key-" + k;
            producers.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                for (int i = 0; i < addsPerKey; i++) {
                    queue.add(key);
                }
            }));
        }
        start.countDown();
        for (Thread producer : producers) {
            producer.join();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> queue.length() == 0 && inFlight.values().stream().allMatch(c -> c.get() == 0));
        queue.shutDown();
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        }

        assertThat(overlaps).hasValue(0);
        assertThat(processed.get()).isBetween(keys, keys * addsPerKey);
    }

    @Test
    void backoffDoublesPerFailureUpToTheMaximumAndResetsOnForget() {
        ExponentialBackoff<String> backoff = new ExponentialBackoff<>(Duration.ofMillis(5), Duration.ofMillis(100));

        List<Duration> delays = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            delays.add(backoff.next("a"));
        }
        assertThat(delays).containsExactly(Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(20),
                Duration.ofMillis(40), Duration.ofMillis(80), Duration.ofMillis(100), Duration.ofMillis(100));
        assertThat(backoff.next("b")).as("back-off is per key").isEqualTo(Duration.ofMillis(5));
        for (int i = 0; i < 100; i++) {
            assertThat(backoff.next("a")).isEqualTo(Duration.ofMillis(100));
        }

        backoff.forget("a");
        assertThat(backoff.failures("a")).isZero();
        assertThat(backoff.next("a")).isEqualTo(Duration.ofMillis(5));
    }

    @Test
    void rateLimitedAddsComeBackAfterTheirBackoff() throws InterruptedException {
        CopyOnWriteArrayList<Long> arrivals = new CopyOnWriteArrayList<>();
        long start = System.nanoTime();
        queue.addRateLimited("a");
        queue.addRateLimited("a");
        queue.addRateLimited("a");
        assertThat(queue.requeues("a")).isEqualTo(3);
        assertThat(queue.length()).as("not before its back-off").isZero();

        Thread.ofPlatform().start(() -> {
            try {
                String key = queue.take();
                arrivals.add(System.nanoTime() - start);
                queue.done(key);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> arrivals.size() == 1);
        assertThat(Duration.ofNanos(arrivals.getFirst())).isGreaterThanOrEqualTo(Duration.ofMillis(10));
        queue.forget("a");
        assertThat(queue.requeues("a")).isZero();
    }

    @Test
    void shutDownReleasesBlockedWorkers() throws InterruptedException {
        CopyOnWriteArrayList<String> results = new CopyOnWriteArrayList<>();
        Thread worker = Thread.ofPlatform().start(() -> {
            try {
                results.add(String.valueOf(queue.take()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        queue.shutDown();
        worker.join(5000);
        assertThat(results).containsExactly("null");
    }
}
