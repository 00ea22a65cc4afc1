package io.platform.agent.pod;

import io.platform.agent.AgentProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Per-key exponential back-off as client-go's {@code flowcontrol.Backoff}, which the kubelet uses
 * for container restarts and image pulls: the first event passes, then waits double up to a max,
 * and an entry idle for twice the max starts over.
 */
final class BackOff {

    private record Entry(Duration delay, Instant lastUpdate) {}

    private final Duration initial;
    private final Duration max;
    private final Clock clock;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    BackOff(AgentProperties.BackOffSettings settings, Clock clock) {
        this.initial = settings.initial();
        this.max = settings.max();
        this.clock = clock;
    }

    /** Whether less than the current delay has passed since {@code eventTime}. */
    boolean inBackOffSince(String key, Instant eventTime) {
        Entry entry = entries.get(key);
        return entry != null && !expired(entry, eventTime)
                && Duration.between(eventTime, clock.instant()).compareTo(entry.delay()) < 0;
    }

    /** Whether less than the current delay has passed since the last {@link #next}. */
    boolean inBackOffSinceUpdate(String key) {
        Entry entry = entries.get(key);
        return entry != null && Duration.between(entry.lastUpdate(), clock.instant()).compareTo(entry.delay()) < 0;
    }

    /** Time left until {@code eventTime + delay}, never negative. */
    Duration remaining(String key, Instant eventTime) {
        Entry entry = entries.get(key);
        if (entry == null) {
            return Duration.ZERO;
        }
        Duration left = Duration.between(clock.instant(), eventTime.plus(entry.delay()));
        return left.isNegative() ? Duration.ZERO : left;
    }

    /** Time left until the last update plus the delay. */
    Duration remainingSinceUpdate(String key) {
        Entry entry = entries.get(key);
        return entry == null ? Duration.ZERO : remaining(key, entry.lastUpdate());
    }

    @Nullable Duration delay(String key) {
        Entry entry = entries.get(key);
        return entry == null ? null : entry.delay();
    }

    /** Records an event: the first (or after a long quiet time) sets the initial delay, later ones double it. */
    void next(String key, Instant eventTime) {
        entries.compute(key, (k, entry) -> {
            if (entry == null || expired(entry, eventTime)) {
                return new Entry(initial, clock.instant());
            }
            Duration doubled = entry.delay().multipliedBy(2);
            return new Entry(doubled.compareTo(max) > 0 ? max : doubled, clock.instant());
        });
    }

    void forget(String key) {
        entries.remove(key);
    }

    void forgetPrefix(String prefix) {
        entries.keySet().removeIf(key -> key.startsWith(prefix));
    }

    private boolean expired(Entry entry, Instant eventTime) {
        return Duration.between(entry.lastUpdate(), eventTime).compareTo(max.multipliedBy(2)) > 0;
    }
}
