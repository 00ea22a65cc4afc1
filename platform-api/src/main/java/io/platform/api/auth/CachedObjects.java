package io.platform.api.auth;

import io.platform.api.cache.CachedList;
import io.platform.api.cache.WatchCache;
import io.platform.api.registry.ResourceType;
import io.platform.api.resource.ObjectKeys;
import io.platform.api.storage.Store;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads single objects for token authenticators: from the watch cache, and from the store only when the cache does
 * not hold the object (yet) or holds an older one than the caller expects (another uid), as kube-apiserver's
 * ServiceAccount token getter reads its informers and falls back to a live lookup, so a token issued for a
 * ServiceAccount created a moment ago already authenticates. Reads run off the event loop: the cache may wait for
 * its first fill and the store is I/O.
 */
public final class CachedObjects {

    private final WatchCache cache;
    private final Store store;

    public CachedObjects(WatchCache cache, Store store) {
        this.cache = cache;
        this.store = store;
    }

    /** The object, or empty when it does not exist. */
    public Mono<Optional<ObjectNode>> get(ResourceType type, @Nullable String namespace, String name) {
        return get(type, namespace, name, "");
    }

    /**
     * The object, or empty when it does not exist; when the cache holds one whose uid is not {@code expectedUid} (""
     * for any), the store is asked, since the cache may not have seen it recreated yet.
     */
    public Mono<Optional<ObjectNode>> get(ResourceType type, @Nullable String namespace, String name,
            String expectedUid) {
        return Mono.fromCallable(() -> read(type, namespace, name, expectedUid))
                .subscribeOn(Schedulers.boundedElastic());
    }

    private Optional<ObjectNode> read(ResourceType type, @Nullable String namespace, String name, String expectedUid) {
        String key = ObjectKeys.key(type, namespace, name);
        Optional<ObjectNode> cached = cache.list(key, 0).map(CachedList::items).stream()
                .flatMap(items -> items.stream())
                .filter(kv -> kv.key().equals(key))
                .findFirst()
                .map(kv -> ObjectKeys.decode(type, kv))
                .filter(object -> expectedUid.isEmpty()
                        || expectedUid.equals(object.path("metadata").path("uid").asString("")));
        return cached.or(() -> store.get(key).map(kv -> ObjectKeys.decode(type, kv)));
    }
}
