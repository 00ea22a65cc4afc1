package io.platform.api.admission;

import io.platform.api.cache.CachedList;
import io.platform.api.cache.WatchCache;
import io.platform.api.registry.ResourceType;
import io.platform.api.resource.ObjectKeys;
import io.platform.api.storage.KeyValue;
import io.platform.api.storage.ListResult;
import io.platform.api.storage.Store;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ObjectNode;

/**
 * How plugins read other objects, as upstream's plugins read them through informer listers: from the watch cache
 * when it is filled, from the store when it is not, or when asked for a live read (upstream's live lookups, for
 * objects the cache may not have seen yet).
 */
public final class ObjectLookup {

    private final Store store;
    private final WatchCache cache;

    public ObjectLookup(Store store, WatchCache cache) {
        this.store = store;
        this.cache = cache;
    }

    /** The object from the watch cache; empty when the cache does not hold it (or is not filled yet). */
    public Optional<ObjectNode> cached(ResourceType type, @Nullable String namespace, String name) {
        return cache.get(ObjectKeys.key(type, namespace, name)).map(kv -> ObjectKeys.decode(type, kv));
    }

    /** The object as the store holds it now. */
    public Optional<ObjectNode> live(ResourceType type, @Nullable String namespace, String name) {
        return store.get(ObjectKeys.key(type, namespace, name)).map(kv -> ObjectKeys.decode(type, kv));
    }

    /** From the cache, else (absent there, perhaps not seen yet) from the store, as upstream's lister + live lookup. */
    public Optional<ObjectNode> get(ResourceType type, @Nullable String namespace, String name) {
        Optional<ObjectNode> cached = cached(type, namespace, name);
        return cached.isPresent() ? cached : live(type, namespace, name);
    }

    /** Every object of the type in the namespace (null: cluster-wide or all namespaces), from the cache when filled. */
    public List<ObjectNode> list(ResourceType type, @Nullable String namespace) {
        Optional<CachedList> cached = cachedList(ObjectKeys.prefix(type, namespace));
        if (cached.isPresent()) {
            return cached.get().items().stream().map(kv -> ObjectKeys.decode(type, kv)).toList();
        }
        return listLive(type, namespace);
    }

    /** Every object of the type in the namespace as the store holds them now. */
    public List<ObjectNode> listLive(ResourceType type, @Nullable String namespace) {
        List<ObjectNode> items = new ArrayList<>();
        String after = null;
        long revision = 0;
        do {
            ListResult page = store.list(ObjectKeys.prefix(type, namespace), revision, 500, after);
            revision = page.revision();
            for (KeyValue kv : page.items()) {
                items.add(ObjectKeys.decode(type, kv));
            }
            after = page.continueAfterKey();
        } while (after != null);
        return items;
    }

    /** The cache's keys under the prefix; empty before its first fill (revision 0), so nothing waits at start. */
    private Optional<CachedList> cachedList(String prefix) {
        if (cache.revision() == 0) {
            return Optional.empty();
        }
        return cache.list(prefix, 0);
    }
}
