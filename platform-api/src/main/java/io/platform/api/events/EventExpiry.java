package io.platform.api.events;

import io.platform.api.cache.CachedList;
import io.platform.api.cache.WatchCache;
import io.platform.api.json.Json;
import io.platform.api.storage.KeyNotFoundException;
import io.platform.api.storage.KeyValue;
import io.platform.api.storage.RevisionConflictException;
import io.platform.api.storage.Store;
import io.platform.common.periodic.PeriodicTask;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Deletes Events {@code ttl} after their last write, as kube-apiserver's {@code --event-ttl} (one
 * hour) does with an etcd lease renewed on every write, so the store does not grow without bound.
 * Each sweep reads the Events from the watch cache and notes, per key, when it first saw the key's
 * current revision; that is its last write, late by at most one sweep interval. Events that were
 * already stored when this server started count from the last write time the server recorded in
 * them (creation and managedFields times). Deletion goes through the store with the revision that
 * was seen, so watchers get DELETED and an Event written again meanwhile is kept.
 */
public final class EventExpiry implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EventExpiry.class);
    /** Core v1 and events.k8s.io/v1 Events share these keys. */
    static final String EVENTS = "/registry/events/";

    private record Written(long revision, Instant at) {}

    private final Store store;
    private final WatchCache cache;
    private final Clock clock;
    private final Duration ttl;
    private volatile @Nullable PeriodicTask task;
    // guarded by this
    private Map<String, Written> written = new HashMap<>();
    private long sweeps;

    public EventExpiry(Store store, WatchCache cache, Clock clock, Duration ttl) {
        this.store = store;
        this.cache = cache;
        this.clock = clock;
        this.ttl = ttl;
    }

    /** Sweeps now and then every {@code interval}. */
    public synchronized void start(Duration interval) {
        task = PeriodicTask.start("event-expiry", "platform.api.events.sweep-interval", interval, this::sweep);
    }

    /** One pass over every Event; returns how many it deleted. */
    synchronized int sweep() {
        Instant now = clock.instant();
        List<KeyValue> events = cache.list(EVENTS, store.currentRevision()).map(CachedList::items)
                .orElseGet(() -> store.list(EVENTS, 0, 0, null).items());
        Map<String, Written> next = new HashMap<>();
        int expired = 0;
        for (KeyValue kv : events) {
            Written seen = written.get(kv.key());
            Written write;
            if (seen != null && seen.revision() == kv.modRevision()) {
                write = seen;
            } else {
                write = new Written(kv.modRevision(), seen == null && sweeps == 0 ? recordedWrite(kv, now) : now);
            }
            if (now.isBefore(write.at().plus(ttl)) || !delete(kv)) {
                next.put(kv.key(), write);
            } else {
                expired++;
            }
        }
        written = next;
        sweeps++;
        if (expired > 0) {
            log.info("deleted {} events not written for {}", expired, ttl);
        }
        return expired;
    }

    private boolean delete(KeyValue kv) {
        try {
            store.delete(kv.key(), kv.modRevision());
            log.debug("event {} expired", kv.key());
            return true;
        } catch (RevisionConflictException e) {
            // written again since the sweep read it: the next sweep starts its ttl over
            return false;
        } catch (KeyNotFoundException e) {
            return true;
        }
    }

    /** The latest server-set write time in a stored Event (never after {@code now}), else {@code now}. */
    private static Instant recordedWrite(KeyValue kv, Instant now) {
        JsonNode metadata = Json.parseObject(kv.value()).path("metadata");
        Instant latest = time(metadata.path("creationTimestamp"));
        for (JsonNode entry : metadata.path("managedFields")) {
            Instant time = time(entry.path("time"));
            if (time != null && (latest == null || time.isAfter(latest))) {
                latest = time;
            }
        }
        return latest == null || latest.isAfter(now) ? now : latest;
    }

    private static @Nullable Instant time(JsonNode value) {
        if (!value.isString()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value.asString()).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** When the Event under {@code key} was last written, as far as the sweeps know. */
    synchronized @Nullable Instant lastWrite(String key) {
        Written write = written.get(key);
        return write == null ? null : write.at();
    }

    /** How many sweeps have run. */
    synchronized long sweeps() {
        return sweeps;
    }

    @Override
    public void close() {
        // not under this object's lock: a run under way takes it, and close waits for that run
        PeriodicTask running = task;
        if (running != null) {
            running.close();
        }
    }
}
