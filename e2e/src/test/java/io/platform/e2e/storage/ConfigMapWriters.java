package io.platform.e2e.storage;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Threads creating ConfigMaps with unique names ({@code w<thread>-<n>}) as fast as the API server
 * answers, each request on its own, until stopped or {@code maxPerThread} creates each. Every create
 * the server acknowledged (201) is recorded with its resourceVersion and when the answer came; the
 * others are counted, split into error answers (an HTTP status) and requests without an answer.
 * Neither says the write did not happen: a 500 after etcd's "request timed out", like a lost
 * connection, leaves its outcome unknown.
 */
final class ConfigMapWriters implements AutoCloseable {

    /** A create the API server answered 201. */
    record Ack(String name, String resourceVersion, Map<String, String> data, long answeredAtNanos) {}

    /** Pause after a failed create, so a server that refuses fast is not flooded. */
    private static final Duration PAUSE_AFTER_FAILURE = Duration.ofMillis(50);

    private final KubernetesClient client;
    private final String namespace;
    private final int threads;
    private final int maxPerThread;
    private final ConcurrentLinkedQueue<Ack> acknowledged = new ConcurrentLinkedQueue<>();
    private final AtomicInteger errors = new AtomicInteger();
    private final AtomicInteger unanswered = new AtomicInteger();
    private final CountDownLatch stop = new CountDownLatch(1);
    private final ExecutorService executor;
    private volatile @Nullable String lastFailure;

    ConfigMapWriters(KubernetesClient client, String namespace, int threads, int maxPerThread) {
        this.client = client;
        this.namespace = namespace;
        this.threads = threads;
        this.maxPerThread = maxPerThread;
        this.executor = Executors.newFixedThreadPool(threads, Thread.ofPlatform().name("writer-", 0).factory());
    }

    ConfigMapWriters start() {
        for (int thread = 0; thread < threads; thread++) {
            int writer = thread;
            executor.execute(() -> write(writer));
        }
        return this;
    }

    private void write(int writer) {
        for (int n = 0; n < maxPerThread && stop.getCount() > 0; n++) {
            String name = "w" + writer + "-" + n;
            Map<String, String> data = Map.of("writer", String.valueOf(writer), "n", String.valueOf(n));
            ConfigMap configMap = new ConfigMapBuilder().withNewMetadata().withName(name).endMetadata()
                    .withData(data).build();
            try {
                ConfigMap created = client.configMaps().inNamespace(namespace).resource(configMap).create();
                acknowledged.add(new Ack(name, created.getMetadata().getResourceVersion(), data, System.nanoTime()));
            } catch (KubernetesClientException e) {
                (e.getCode() > 0 ? errors : unanswered).incrementAndGet();
                lastFailure = name + ": " + (e.getCode() > 0 ? e.getCode() + " " : "") + e.getMessage();
                try {
                    stop.await(PAUSE_AFTER_FAILURE.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Stops the writers after their current request and waits for them. */
    void stop() {
        stop.countDown();
        executor.shutdown();
        try {
            if (!executor.awaitTermination(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the writers did not stop within 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            executor.shutdownNow();
        }
    }

    int acknowledgedCount() {
        return acknowledged.size();
    }

    List<Ack> acknowledged() {
        return List.copyOf(acknowledged);
    }

    /** Creates answered with an error status. */
    int errors() {
        return errors.get();
    }

    /** Creates that got no answer (connection lost or timed out): they may or may not have been written. */
    int unanswered() {
        return unanswered.get();
    }

    @Nullable String lastFailure() {
        return lastFailure;
    }

    /**
     * The longest time without an acknowledged create between {@code fromNanos} and
     * {@code toNanos} (both {@link System#nanoTime()} values), ends included.
     */
    Duration longestGap(long fromNanos, long toNanos) {
        List<Long> times = new ArrayList<>();
        times.add(fromNanos);
        acknowledged.stream().map(Ack::answeredAtNanos).filter(t -> t > fromNanos && t < toNanos).forEach(times::add);
        times.add(toNanos);
        times.sort(Comparator.naturalOrder());
        long longest = 0;
        for (int i = 1; i < times.size(); i++) {
            longest = Math.max(longest, times.get(i) - times.get(i - 1));
        }
        return Duration.ofNanos(longest);
    }

    @Override
    public void close() {
        stop();
    }
}
