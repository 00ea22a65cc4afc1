package io.platform.api.cache;

import io.platform.api.storage.KeyValue;
import io.platform.api.storage.WatchEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Every key's latest value in memory, in the store's key order, as of one revision: filled by one
 * full list of the store and then kept current, event by event, by the store watch the watch hub
 * follows from that list's revision, as kube-apiserver's watch cache. Lists are served from here; a
 * list that must reflect a given revision waits (at most {@code wait}) for the cache to reach it.
 * Until the first fill, and after the hub lost its position to compaction until the re-list, the
 * cache is not ready and answers nothing, so callers read the store.
 */
public final class WatchCache {

    private final Duration wait;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition advanced = lock.newCondition();
    // SQLite orders keys by code point (UTF-8 bytes); String's natural order differs above U+FFFF
    private final TreeMap<String, KeyValue> latest = new TreeMap<>(WatchCache::compareCodePoints);
    private long revision;
    private boolean ready;

    /** @param wait how long a list waits for the cache to reach the revision it must reflect */
    public WatchCache(Duration wait) {
        this.wait = wait;
    }

    /** Replaces the whole content with a full list of the store read at {@code atRevision}. */
    public void replace(Collection<KeyValue> items, long atRevision) {
        lock.lock();
        try {
            latest.clear();
            items.forEach(kv -> latest.put(kv.key(), kv));
            revision = atRevision;
            ready = true;
            advanced.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Applies the next change; events arrive in revision order, each newer than the cache. */
    public void apply(WatchEvent event) {
        lock.lock();
        try {
            if (!ready || event.revision() <= revision) {
                return;
            }
            if (event.type() == WatchEvent.Type.DELETED) {
                latest.remove(event.kv().key());
            } else {
                latest.put(event.kv().key(), event.kv());
            }
            revision = event.revision();
            advanced.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The store watch lost its position: nothing is served until the next {@link #replace}. */
    public void invalidate() {
        lock.lock();
        try {
            ready = false;
            latest.clear();
        } finally {
            lock.unlock();
        }
    }

    /** The revision the content reflects (0 before the first fill). */
    public long revision() {
        lock.lock();
        try {
            return revision;
        } finally {
            lock.unlock();
        }
    }

    /** The value of one key at the cache's revision; empty when the cache does not hold it or is not ready. */
    public Optional<KeyValue> get(String key) {
        lock.lock();
        try {
            return ready ? Optional.ofNullable(latest.get(key)) : Optional.empty();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The keys under {@code prefix} at the cache's revision, once that revision is at least
     * {@code minRevision}; empty when the cache is not ready or does not get there within the wait.
     */
    public Optional<CachedList> list(String prefix, long minRevision) {
        lock.lock();
        try {
            long nanos = wait.toNanos();
            while (!ready || revision < minRevision) {
                if (nanos <= 0) {
                    return Optional.empty();
                }
                nanos = advanced.awaitNanos(nanos);
            }
            List<KeyValue> items = new ArrayList<>();
            for (Map.Entry<String, KeyValue> entry : latest.tailMap(prefix, true).entrySet()) {
                if (!entry.getKey().startsWith(prefix)) {
                    break;
                }
                items.add(entry.getValue());
            }
            return Optional.of(new CachedList(items, revision));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Code point order. It differs from UTF-16 order only where a surrogate meets a char above it (U+E000 and up):
     * the surrogate stands for a code point above every BMP char, so it sorts last. Everything else compares by char.
     */
    static int compareCodePoints(String a, String b) {
        int common = Math.min(a.length(), b.length());
        for (int i = 0; i < common; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                boolean xSurrogate = Character.isSurrogate(x);
                return xSurrogate == Character.isSurrogate(y) ? Character.compare(x, y) : xSurrogate ? 1 : -1;
            }
        }
        return Integer.compare(a.length(), b.length());
    }
}
