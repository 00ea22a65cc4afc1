package io.platform.common.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One fabric8 {@link SharedIndexInformer} per resource type for a whole component, shared by all of
 * its controllers, as client-go's SharedInformerFactory. Informers are created on first use and run
 * from {@link #start()} on (or at once if already started). Every informer indexes objects by
 * namespace and by the uids of their owners.
 */
public final class SharedInformers implements AutoCloseable {

    /** Index of objects by the uid of each of their owner references. */
    public static final String OWNER_UID_INDEX = "ownerUid";
    public static final String NAMESPACE_INDEX = Cache.NAMESPACE_INDEX;

    private static final Logger log = LoggerFactory.getLogger(SharedInformers.class);

    private final KubernetesClient client;
    private final Duration resync;
    private final ConcurrentMap<Class<?>, SharedIndexInformer<?>> informers = new ConcurrentHashMap<>();
    private volatile boolean started;

    public SharedInformers(KubernetesClient client, Duration resync) {
        this.client = client;
        this.resync = resync;
    }

    public KubernetesClient client() {
        return client;
    }

    @SuppressWarnings("unchecked")
    public synchronized <T extends HasMetadata> SharedIndexInformer<T> informer(Class<T> type) {
        SharedIndexInformer<T> existing = (SharedIndexInformer<T>) informers.get(type);
        if (existing != null) {
            return existing;
        }
        SharedIndexInformer<T> informer = client.resources(type).inAnyNamespace().runnableInformer(resync.toMillis());
        informer.addIndexers(Map.of(OWNER_UID_INDEX,
                object -> OwnerReferences.of(object).stream().map(OwnerReference::getUid).toList()));
        informers.put(type, informer);
        if (started) {
            startOne(type, informer);
        }
        return informer;
    }

    /** The cached object, or empty. The returned object is shared with the cache: copy before changing it. */
    public <T extends HasMetadata> Optional<T> get(Class<T> type, ObjectKey key) {
        return Optional.ofNullable(informer(type).getStore().getByKey(key.toString()));
    }

    public <T extends HasMetadata> List<T> list(Class<T> type) {
        return informer(type).getStore().list();
    }

    public <T extends HasMetadata> List<T> listInNamespace(Class<T> type, String namespace) {
        return informer(type).getIndexer().byIndex(NAMESPACE_INDEX, namespace);
    }

    public <T extends HasMetadata> List<T> listOwnedBy(Class<T> type, String ownerUid) {
        return informer(type).getIndexer().byIndex(OWNER_UID_INDEX, ownerUid);
    }

    public synchronized void start() {
        started = true;
        informers.forEach(this::startOne);
    }

    private void startOne(Class<?> type, SharedIndexInformer<?> informer) {
        if (!informer.isRunning()) {
            log.info("starting informer for {}", type.getSimpleName());
            informer.start();
        }
    }

    public boolean hasSynced(Collection<Class<? extends HasMetadata>> types) {
        return types.stream().allMatch(type -> informer(type).hasSynced());
    }

    @Override
    public synchronized void close() {
        informers.values().forEach(SharedIndexInformer::stop);
        started = false;
    }

    /**
     * Stops every informer once its start (list, then watch) has finished, waiting at most
     * {@code timeout} in all, so that no list or watch is cut off by a client closing right after.
     */
    public synchronized void close(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Map.Entry<Class<?>, SharedIndexInformer<?>> entry : informers.entrySet()) {
            SharedIndexInformer<?> informer = entry.getValue();
            if (!informer.isRunning()) {
                continue;
            }
            try {
                // start() of a started informer only returns its start future
                informer.start().toCompletableFuture().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                // it failed to start and has stopped by itself: nothing in flight
            } catch (TimeoutException e) {
                log.info("the {} informer had not started after {}; stopping it anyway",
                        entry.getKey().getSimpleName(), timeout);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        close();
    }
}
