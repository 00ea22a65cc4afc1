package io.platform.common.reconcile;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Per-item exponential back-off, as client-go's ItemExponentialFailureRateLimiter: the n-th
 * consecutive failure of an item waits {@code base * 2^(n-1)}, never more than {@code max}.
 */
public final class ExponentialBackoff<K> {

    private final Duration base;
    private final Duration max;
    private final ConcurrentMap<K, Integer> failures = new ConcurrentHashMap<>();

    public ExponentialBackoff(Duration base, Duration max) {
        if (base.isNegative() || base.isZero() || max.compareTo(base) < 0) {
            throw new IllegalArgumentException("back-off needs 0 < base <= max, got " + base + " and " + max);
        }
        this.base = base;
        this.max = max;
    }

    /** Records one more failure of the item and returns how long it must wait. */
    public Duration next(K item) {
        int exponent = failures.merge(item, 1, Integer::sum) - 1;
        if (exponent >= 62) {
            return max;
        }
        long factor = 1L << exponent;
        long baseNanos = base.toNanos();
        if (baseNanos > max.toNanos() / factor) {
            return max;
        }
        return Duration.ofNanos(baseNanos * factor);
    }

    public int failures(K item) {
        return failures.getOrDefault(item, 0);
    }

    public void forget(K item) {
        failures.remove(item);
    }
}
