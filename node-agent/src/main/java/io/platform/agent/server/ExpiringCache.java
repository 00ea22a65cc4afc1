package io.platform.agent.server;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Answers of the API server kept for a while, each with its own lifetime (the kubelet keeps positive and
 * negative webhook answers for different times). Expired entries are dropped when read, and all of them
 * whenever the map grows past {@code sweepAbove}.
 */
final class ExpiringCache<K, V> {

    private record Entry<V>(V value, Instant expires) {}

    private final Map<K, Entry<V>> entries = new ConcurrentHashMap<>();
    private final Clock clock;
    private final int sweepAbove;

    ExpiringCache(Clock clock, int sweepAbove) {
        this.clock = clock;
        this.sweepAbove = sweepAbove;
    }

    @Nullable V get(K key) {
        Entry<V> entry = entries.get(key);
        if (entry == null) {
            return null;
        }
        if (!clock.instant().isBefore(entry.expires())) {
            entries.remove(key, entry);
            return null;
        }
        return entry.value();
    }

    void put(K key, V value, Duration ttl) {
        if (ttl.isZero() || ttl.isNegative()) {
            return;
        }
        Instant now = clock.instant();
        if (entries.size() >= sweepAbove) {
            entries.values().removeIf(e -> !now.isBefore(e.expires()));
        }
        entries.put(key, new Entry<>(value, now.plus(ttl)));
    }
}
