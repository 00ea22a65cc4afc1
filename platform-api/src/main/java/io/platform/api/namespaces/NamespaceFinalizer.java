package io.platform.api.namespaces;

import io.platform.api.errors.ApiException;
import io.platform.api.json.Json;
import io.platform.api.registry.BuiltinResources;
import io.platform.api.registry.ResourceType;
import io.platform.api.resource.DeleteOptions;
import io.platform.api.resource.ListOptions;
import io.platform.api.resource.ObjectKeys;
import io.platform.api.resource.ResourceStorage;
import io.platform.api.resource.UpdateMode;
import io.platform.api.storage.WatchEvent;
import io.platform.api.watch.WatchHub;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Empties namespaces that are being deleted and then removes their {@code kubernetes} finalizer,
 * the part of kube-controller-manager's namespace controller a deletion cannot do without: every
 * namespaced object is deleted (pods gracefully, objects with finalizers wait for them), and only
 * when nothing is left does the namespace go.
 */
public final class NamespaceFinalizer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NamespaceFinalizer.class);
    static final String FINALIZER = "kubernetes";
    private static final ResourceType NAMESPACES = BuiltinResources.find("", "v1", "namespaces").orElseThrow();

    private final ResourceStorage storage;
    private final WatchHub hub;
    private final List<ResourceType> namespacedTypes;
    private final Duration retryInterval;
    private final Set<String> pending = ConcurrentHashMap.newKeySet();
    private @Nullable Disposable watch;
    private @Nullable Disposable retries;

    public NamespaceFinalizer(ResourceStorage storage, WatchHub hub, List<ResourceType> types, Duration retryInterval) {
        this.storage = storage;
        this.hub = hub;
        this.namespacedTypes = types.stream().filter(t -> t.namespaced() && !t.createOnly()).toList();
        this.retryInterval = retryInterval;
    }

    public void start() {
        var existing = storage.list(NAMESPACES, null, ListOptions.all());
        existing.items().stream().filter(NamespaceFinalizer::terminating)
                .forEach(ns -> pending.add(ns.path("metadata").path("name").asString("")));
        watch = hub.watch(NAMESPACES.keyPrefix(), existing.revision())
                .filter(event -> event.type() != WatchEvent.Type.DELETED)
                .map(event -> ObjectKeys.decode(event.kv()))
                .filter(NamespaceFinalizer::terminating)
                .subscribe(ns -> {
                    pending.add(ns.path("metadata").path("name").asString(""));
                    Mono.fromRunnable(this::sweep).subscribeOn(Schedulers.boundedElastic()).subscribe();
                }, error -> log.warn("namespace watch ended: {}", error.toString()));
        retries = Flux.interval(retryInterval)
                .onBackpressureDrop()
                .concatMap(tick -> Mono.fromRunnable(this::sweep).subscribeOn(Schedulers.boundedElastic()), 1)
                .subscribe();
    }

    private static boolean terminating(JsonNode namespace) {
        return namespace.path("metadata").hasNonNull("deletionTimestamp")
                && Json.strings(namespace.path("spec").path("finalizers")).contains(FINALIZER);
    }

    private synchronized void sweep() {
        for (String name : List.copyOf(pending)) {
            try {
                if (finalizeNamespace(name)) {
                    pending.remove(name);
                }
            } catch (RuntimeException e) {
                log.warn("could not finalize namespace {} yet: {}", name, e.getMessage());
            }
        }
    }

    /** Deletes what is left in the namespace; true once it is empty and its finalizer removed (or it is gone). */
    boolean finalizeNamespace(String name) {
        ObjectNode namespace;
        try {
            namespace = storage.get(NAMESPACES, null, name);
        } catch (ApiException e) {
            return e.code() == 404;
        }
        if (!terminating(namespace)) {
            return true;
        }
        long remaining = 0;
        for (ResourceType type : namespacedTypes) {
            for (ObjectNode item : storage.list(type, name, ListOptions.all()).items()) {
                if (!item.path("metadata").hasNonNull("deletionTimestamp")) {
                    try {
                        storage.delete(type, name, item.path("metadata").path("name").asString(""),
                                DeleteOptions.background(), false);
                    } catch (ApiException e) {
                        if (e.code() != 404) {
                            throw e;
                        }
                    }
                }
            }
            remaining += storage.store().count(ObjectKeys.prefix(type, name));
        }
        if (remaining > 0) {
            return false;
        }
        storage.update(NAMESPACES, null, name, UpdateMode.SERVER, false, current -> {
            JsonNode finalizers = current.path("spec").path("finalizers");
            if (finalizers instanceof ArrayNode array) {
                for (int i = array.size() - 1; i >= 0; i--) {
                    if (array.get(i).asString("").equals(FINALIZER)) {
                        array.remove(i);
                    }
                }
            }
            return current;
        });
        log.info("namespace {} is empty; removed its {} finalizer", name, FINALIZER);
        return true;
    }

    @Override
    public void close() {
        if (watch != null) {
            watch.dispose();
        }
        if (retries != null) {
            retries.dispose();
        }
    }
}
