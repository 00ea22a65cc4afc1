package io.platform.api.admission;

import io.platform.api.registry.ResourceType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.node.ObjectNode;

/**
 * A namespace's policy objects (LimitRanges, ResourceQuotas) as upstream's LimitRanger and ResourceQuota plugins read
 * them: from the watch cache, and when the cache has none in the namespace, from the store, whose answer is then kept
 * for the live-lookup TTL, so an object created a moment ago counts before the cache has it without every write in
 * a namespace without any reading the store. Objects created through this server are {@link #forget forgotten}, so
 * they count at once.
 */
public final class LiveLookups {

    private record Entry(List<ObjectNode> items, Instant expiry) {}

    private final ObjectLookup lookup;
    private final Clock clock;
    private final Duration ttl;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    public LiveLookups(ObjectLookup lookup, Clock clock, Duration ttl) {
        this.lookup = lookup;
        this.clock = clock;
        this.ttl = ttl;
    }

    public List<ObjectNode> list(ResourceType type, String namespace) {
        List<ObjectNode> cached = lookup.list(type, namespace);
        if (!cached.isEmpty()) {
            return cached;
        }
        Instant now = clock.instant();
        String key = type.qualifiedPlural() + "/" + namespace;
        Entry entry = entries.get(key);
        if (entry != null && now.isBefore(entry.expiry())) {
            return entry.items();
        }
        entries.values().removeIf(e -> !now.isBefore(e.expiry()));
        List<ObjectNode> live = lookup.listLive(type, namespace);
        entries.put(key, new Entry(live, now.plus(ttl)));
        return live;
    }

    /** Drops the store read kept for the namespace, after this server wrote one of its objects of the type. */
    public void forget(ResourceType type, String namespace) {
        entries.remove(type.qualifiedPlural() + "/" + namespace);
    }
}
