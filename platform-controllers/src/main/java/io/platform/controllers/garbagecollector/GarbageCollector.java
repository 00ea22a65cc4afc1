package io.platform.controllers.garbagecollector;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.platform.common.reconcile.Controller;
import io.platform.common.reconcile.ObjectKey;
import io.platform.common.reconcile.OwnerReferences;
import io.platform.common.reconcile.Reconciler;
import io.platform.common.reconcile.Result;
import io.platform.common.reconcile.SharedInformers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Background garbage collection, as kube-controller-manager's garbage collector with propagation
 * {@code Background}: an object whose every owner reference names an owner that no longer exists
 * (by uid, confirmed by a live read) is deleted. One controller per dependent type; owner deletions
 * enqueue their dependents through the owner-uid index.
 */
public final class GarbageCollector {

    private static final Logger log = LoggerFactory.getLogger(GarbageCollector.class);

    private GarbageCollector() {}

    /**
     * Controllers for each dependent type, reacting to deletions of each owner type.
     *
     * @param guard wraps each controller's reconciler (the manager's shutdown gate)
     */
    public static List<Controller> controllers(KubernetesClient client, SharedInformers informers,
            List<Class<? extends HasMetadata>> dependentTypes, List<Class<? extends HasMetadata>> ownerTypes,
            UnaryOperator<Reconciler> guard, int workers, Duration backoffBase, Duration backoffMax) {
        List<Controller> controllers = new ArrayList<>();
        for (Class<? extends HasMetadata> dependentType : dependentTypes) {
            controllers.add(controller(client, informers, dependentType, ownerTypes, guard, workers, backoffBase, backoffMax));
        }
        return controllers;
    }

    private static <D extends HasMetadata> Controller controller(KubernetesClient client, SharedInformers informers,
            Class<D> dependentType, List<Class<? extends HasMetadata>> ownerTypes, UnaryOperator<Reconciler> guard, int workers,
            Duration backoffBase, Duration backoffMax) {
        Controller.Builder builder = Controller.builder("garbagecollector-" + HasMetadata.getKind(dependentType).toLowerCase(), informers)
                .forType(dependentType, dependent -> !OwnerReferences.of(dependent).isEmpty());
        for (Class<? extends HasMetadata> ownerType : ownerTypes) {
            builder.watches(ownerType, owner -> informers.listOwnedBy(dependentType, owner.getMetadata().getUid()).stream()
                    .map(ObjectKey::of).toList());
        }
        return builder.reconciler(guard.apply(new DependentReconciler<>(client, informers, dependentType, ownerTypes)))
                .workers(workers)
                .backoff(backoffBase, backoffMax)
                .build();
    }

    /** Deletes one dependent when all its owners are gone. */
    static final class DependentReconciler<D extends HasMetadata> implements Reconciler {

        private final KubernetesClient client;
        private final SharedInformers informers;
        private final Class<D> dependentType;
        private final List<Class<? extends HasMetadata>> ownerTypes;

        DependentReconciler(KubernetesClient client, SharedInformers informers, Class<D> dependentType,
                List<Class<? extends HasMetadata>> ownerTypes) {
            this.client = client;
            this.informers = informers;
            this.dependentType = dependentType;
            this.ownerTypes = ownerTypes;
        }

        @Override
        public Result reconcile(ObjectKey key) {
            D dependent = informers.get(dependentType, key).orElse(null);
            if (dependent == null || dependent.getMetadata().getDeletionTimestamp() != null) {
                return Result.done();
            }
            List<OwnerReference> owners = OwnerReferences.of(dependent);
            if (owners.isEmpty()) {
                return Result.done();
            }
            for (OwnerReference owner : owners) {
                if (ownerExists(owner, key.namespace())) {
                    return Result.done();
                }
            }
            log.info("garbage collector: deleting {} {}: all owners are gone", HasMetadata.getKind(dependentType), key);
            try {
                client.resources(dependentType).inNamespace(key.namespace()).withName(key.name())
                        .withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 404) {
                    throw e;
                }
            }
            return Result.done();
        }

        private boolean ownerExists(OwnerReference ref, String namespace) {
            Optional<Class<? extends HasMetadata>> known = ownerTypes.stream().filter(type -> OwnerReferences.refersTo(ref, type)).findFirst();
            if (known.isPresent()) {
                Class<? extends HasMetadata> type = known.get();
                String ownerNamespace = Namespaced.class.isAssignableFrom(type) ? namespace : "";
                boolean cached = informers.get(type, new ObjectKey(ownerNamespace, ref.getName()))
                        .filter(owner -> ref.getUid().equals(owner.getMetadata().getUid())).isPresent();
                if (cached) {
                    return true;
                }
                // the cache may lag behind a freshly created owner: confirm with a live read, as upstream
                HasMetadata live = ownerNamespace.isEmpty()
                        ? client.resources(type).withName(ref.getName()).get()
                        : client.resources(type).inNamespace(ownerNamespace).withName(ref.getName()).get();
                return live != null && ref.getUid().equals(live.getMetadata().getUid());
            }
            try {
                GenericKubernetesResource live = client.genericKubernetesResources(ref.getApiVersion(), ref.getKind())
                        .inNamespace(namespace).withName(ref.getName()).get();
                return live != null && ref.getUid().equals(live.getMetadata().getUid());
            } catch (KubernetesClientException | IllegalArgumentException e) {
                // an owner kind we cannot resolve is not proof that the owner is gone
                log.debug("garbage collector: cannot look up owner {} {}: {}", ref.getKind(), ref.getName(), e.getMessage());
                return true;
            }
        }
    }
}
