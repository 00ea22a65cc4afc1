package io.platform.controllers.garbagecollector;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.platform.common.reconcile.ObjectKey;
import io.platform.common.reconcile.OwnerReferences;
import io.platform.common.reconcile.SharedInformers;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/** The dependents of an owner among the collector's dependent types (from the informer caches), and writes to them. */
final class Dependents {

    private final KubernetesClient client;
    private final SharedInformers informers;
    private final List<Class<? extends HasMetadata>> types;

    Dependents(KubernetesClient client, SharedInformers informers, List<Class<? extends HasMetadata>> types) {
        this.client = client;
        this.informers = informers;
        this.types = List.copyOf(types);
    }

    /** Every cached object with an owner reference to {@code ownerUid}. */
    List<HasMetadata> of(String ownerUid) {
        List<HasMetadata> dependents = new ArrayList<>();
        for (Class<? extends HasMetadata> type : types) {
            dependents.addAll(informers.listOwnedBy(type, ownerUid));
        }
        return dependents;
    }

    /** Dependents whose reference to the owner has {@code blockOwnerDeletion: true}: they hold a foreground deletion. */
    List<HasMetadata> blocking(String ownerUid) {
        return of(ownerUid).stream().filter(dependent -> OwnerReferences.of(dependent).stream()
                .anyMatch(ref -> ownerUid.equals(ref.getUid()) && Boolean.TRUE.equals(ref.getBlockOwnerDeletion()))).toList();
    }

    /** Removes the references to the given owners from a dependent, on its latest state (optimistically locked). */
    void removeOwnerReferences(HasMetadata dependent, Set<String> ownerUids) {
        edit(dependent, live -> {
            List<OwnerReference> kept = OwnerReferences.of(live).stream().filter(ref -> !ownerUids.contains(ref.getUid())).toList();
            if (kept.size() == OwnerReferences.of(live).size()) {
                return false;
            }
            live.getMetadata().setOwnerReferences(kept.isEmpty() ? null : new ArrayList<>(kept));
            return true;
        });
    }

    /** Removes one finalizer from an object, on its latest state; the API server removes an object whose last one went. */
    void removeFinalizer(HasMetadata object, String finalizer) {
        edit(object, live -> {
            List<String> finalizers = new ArrayList<>(GarbageCollector.finalizers(live));
            if (!finalizers.remove(finalizer)) {
                return false;
            }
            live.getMetadata().setFinalizers(finalizers.isEmpty() ? null : finalizers);
            return true;
        });
    }

    /**
     * Reads the object live, applies {@code change} and writes it back with its resourceVersion, so a concurrent
     * change is a 409 and the work is retried; an object gone or replaced (another uid) is left alone.
     */
    @SuppressWarnings("unchecked")
    private <T extends HasMetadata> void edit(T cached, Predicate<T> change) {
        Class<T> type = (Class<T>) cached.getClass();
        Resource<T> resource = resource(type, ObjectKey.of(cached));
        T live = resource.get();
        if (live == null || !cached.getMetadata().getUid().equals(live.getMetadata().getUid()) || !change.test(live)) {
            return;
        }
        try {
            client.resource(live).update();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
    }

    <T extends HasMetadata> Resource<T> resource(Class<T> type, ObjectKey key) {
        return isNamespaced(type)
                ? client.resources(type).inNamespace(key.namespace()).withName(key.name())
                : client.resources(type).withName(key.name());
    }

    <T extends HasMetadata> @Nullable T cached(Class<T> type, ObjectKey key) {
        return informers.get(type, key).orElse(null);
    }

    static boolean isNamespaced(Class<? extends HasMetadata> type) {
        return Namespaced.class.isAssignableFrom(type);
    }
}
