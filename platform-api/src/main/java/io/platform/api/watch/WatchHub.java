package io.platform.api.watch;

import io.platform.api.cache.WatchCache;
import io.platform.api.storage.CompactedException;
import io.platform.api.storage.ListResult;
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
 * kube-apiserver's watch cache for watch). Only watchers older than the ring read the store. The
 * hub reads the whole store once and follows the watch from that list's revision, keeping the
 * {@link WatchCache} that serves lists; when compaction overtakes it, it reads the store again.
 */
public final class WatchHub implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WatchHub.class);
    // every key, so that the hub's revision follows each write of the store
    static final String ALL_KEYS = "";

    private record Watcher(String prefix, long afterRevision, FluxSink<WatchEvent> sink) {}

    private final Store store;
    private final int capacity;
    private final WatchCache cache;
    private final Object lock = new Object();
    private final ArrayDeque<WatchEvent> ring = new ArrayDeque<>();
    private final Set<Watcher> watchers = ConcurrentHashMap.newKeySet();
    private long coveredFrom;
    private long lastRevision;
    private boolean listNeeded = true;
    private @Nullable Disposable subscription;

    public WatchHub(Store store, int capacity, WatchCache cache) {
        this.store = store;
        this.capacity = capacity;
        this.cache = cache;
    }

    /** Reads the store and starts following it from the revision of that read. */
    public void start() {
        relist();
        follow();
    }

    /** One list of every key at revision R, then the watch after R: nothing missed, nothing twice. */
    private void relist() {
        ListResult all = store.list(ALL_KEYS, 0, 0, null);
        synchronized (lock) {
            ring.clear();
            coveredFrom = all.revision();
            lastRevision = all.revision();
            cache.replace(all.items(), all.revision());
            listNeeded = false;
        }
        log.info("watch cache filled with {} keys at revision {}", all.items().size(), all.revision());
    }

    private void follow() {
        subscription = Flux.defer(() -> {
                    if (isListNeeded()) {
                        relist();
                    }
                    return store.watch(ALL_KEYS, lastRevisionSeen());
                })
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(100)).maxBackoff(Duration.ofSeconds(5))
                        .filter(e -> !(e instanceof CompactedException))
                        .doBeforeRetry(s -> log.warn("store watch failed, resuming after revision {}: {}",
                                lastRevisionSeen(), s.failure().toString())))
                .subscribe(this::publish, this::restartAfterCompaction);
    }

    private boolean isListNeeded() {
        synchronized (lock) {
            return listNeeded;
        }
    }

    private long lastRevisionSeen() {
        synchronized (lock) {
            return lastRevision;
        }
    }

    /**
     * Compaction overtook the hub itself: every watcher must re-list, as after a 410, and so must
     * the cache. Until the re-list, new watchers read the store and lists fall back to it.
     */
    private void restartAfterCompaction(Throwable error) {
        List<Watcher> dropped;
        long revision;
        synchronized (lock) {
            revision = lastRevision;
            ring.clear();
            coveredFrom = Long.MAX_VALUE;
            listNeeded = true;
            cache.invalidate();
            dropped = new ArrayList<>(watchers);
            watchers.clear();
        }
        log.warn("store watch lost its position ({}); {} watchers and the watch cache must re-list",
                error.toString(), dropped.size());
        long compacted = error instanceof CompactedException c ? c.compactedRevision() : revision;
        CompactedException expired = new CompactedException(revision, compacted);
        dropped.forEach(w -> w.sink().error(expired));
        follow();
    }

    private void publish(WatchEvent event) {
        synchronized (lock) {
            if (event.revision() <= lastRevision) {
                return;
            }
            lastRevision = event.revision();
            cache.apply(event);
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

    /** The revision of the latest store change the hub has passed on. */
    public long revision() {
        return lastRevisionSeen();
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
