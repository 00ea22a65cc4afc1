package io.platform.api.watch;

import io.platform.api.storage.CompactedException;
import io.platform.api.storage.Store;
import io.platform.api.storage.WatchEvent;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

/**
 * One store watch over every key, fanned out to all API watchers, with a ring of recent events
 * so that watchers resuming from a recent resourceVersion are served from memory (the role of
 * kube-apiserver's watch cache for watch). Only watchers older than the ring read the store.
 */
public final class WatchHub implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WatchHub.class);
    static final String ALL_KEYS = "/registry/";

    private record Watcher(String prefix, long afterRevision, FluxSink<WatchEvent> sink) {}

    private final Store store;
    private final int capacity;
    private final Object lock = new Object();
    private final ArrayDeque<WatchEvent> ring = new ArrayDeque<>();
    private final Set<Watcher> watchers = ConcurrentHashMap.newKeySet();
    private long coveredFrom;
    private long lastRevision;
    private @Nullable Disposable subscription;

    public WatchHub(Store store, int capacity) {
        this.store = store;
        this.capacity = capacity;
    }

    /** Starts following the store from its current revision. */
    public void start() {
        long revision = store.currentRevision();
        synchronized (lock) {
            coveredFrom = revision;
            lastRevision = revision;
        }
        follow(revision);
    }

    private void follow(long fromRevision) {
        subscription = Flux.defer(() -> store.watch(ALL_KEYS, lastRevisionSeen()))
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(100)).maxBackoff(Duration.ofSeconds(5))
                        .filter(e -> !(e instanceof CompactedException))
                        .doBeforeRetry(s -> log.warn("store watch failed, resuming after revision {}: {}",
                                lastRevisionSeen(), s.failure().toString())))
                .subscribe(this::publish, this::restartAfterCompaction);
        log.debug("watch hub following the store after revision {}", fromRevision);
    }

    private long lastRevisionSeen() {
        synchronized (lock) {
            return lastRevision;
        }
    }

    /** Compaction overtook the hub itself: every watcher must re-list, as after a 410. */
    private void restartAfterCompaction(Throwable error) {
        long revision = store.currentRevision();
        List<Watcher> dropped;
        synchronized (lock) {
            ring.clear();
            coveredFrom = revision;
            lastRevision = revision;
            dropped = new ArrayList<>(watchers);
            watchers.clear();
        }
        log.warn("store watch lost its position ({}); {} watchers must re-list", error.toString(), dropped.size());
        CompactedException expired = new CompactedException(revision, revision);
        dropped.forEach(w -> w.sink().error(expired));
        follow(revision);
    }

    private void publish(WatchEvent event) {
        synchronized (lock) {
            if (event.revision() <= lastRevision) {
                return;
            }
            lastRevision = event.revision();
            ring.addLast(event);
            while (ring.size() > capacity) {
                coveredFrom = ring.removeFirst().revision();
            }
            for (Watcher watcher : watchers) {
                if (event.revision() > watcher.afterRevision() && event.kv().key().startsWith(watcher.prefix())) {
                    watcher.sink().next(event);
                }
            }
        }
    }

    /**
     * Every change under {@code prefix} after {@code afterRevision}, in revision order, until
     * cancelled; fails with {@link CompactedException} when that revision is no longer available.
     */
    public Flux<WatchEvent> watch(String prefix, long afterRevision) {
        return Flux.<WatchEvent>create(sink -> {
            long compacted = store.compactedRevision();
            if (afterRevision < compacted) {
                sink.error(new CompactedException(afterRevision, compacted));
                return;
            }
            boolean fromStore;
            synchronized (lock) {
                fromStore = afterRevision < coveredFrom;
                if (!fromStore) {
                    for (WatchEvent event : ring) {
                        if (event.revision() > afterRevision && event.kv().key().startsWith(prefix)) {
                            sink.next(event);
                        }
                    }
                    Watcher watcher = new Watcher(prefix, afterRevision, sink);
                    watchers.add(watcher);
                    sink.onDispose(() -> watchers.remove(watcher));
                }
            }
            if (fromStore) {
                sink.onDispose(store.watch(prefix, afterRevision).subscribe(sink::next, sink::error, sink::complete));
            }
        }, FluxSink.OverflowStrategy.BUFFER).publishOn(Schedulers.parallel());
    }

    /** How many API watchers are attached (for tests and metrics). */
    public int watcherCount() {
        return watchers.size();
    }

    @Override
    public void close() {
        Disposable current = subscription;
        if (current != null) {
            current.dispose();
        }
        watchers.forEach(w -> w.sink().complete());
        watchers.clear();
    }
}
