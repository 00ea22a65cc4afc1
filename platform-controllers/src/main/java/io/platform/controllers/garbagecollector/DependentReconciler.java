package io.platform.controllers.garbagecollector;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.platform.common.reconcile.ObjectKey;
import io.platform.common.reconcile.OwnerReferences;
import io.platform.common.reconcile.Reconciler;
import io.platform.common.reconcile.Result;
import io.platform.common.reconcile.SharedInformers;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One dependent, as upstream's attemptToDeleteItem: each owner reference is solid (the owner exists),
 * dangling (it is gone, by uid) or waiting (the owner is being deleted in the foreground). With a solid
 * owner the dependent stays, losing its references to dangling and waiting owners; without one it is
 * deleted — in the foreground when a waiting owner needs it gone and it has dependents of its own, else
 * with the policy its own finalizers ask for, else in the background.
 */
final class DependentReconciler<D extends HasMetadata> implements Reconciler {

    private static final Logger log = LoggerFactory.getLogger(DependentReconciler.class);

    private enum OwnerState { SOLID, DANGLING, WAITING }

    private final KubernetesClient client;
    private final SharedInformers informers;
    private final Dependents dependents;
    private final Class<D> dependentType;
    private final List<Class<? extends HasMetadata>> ownerTypes;

    DependentReconciler(KubernetesClient client, SharedInformers informers, Dependents dependents, Class<D> dependentType,
            List<Class<? extends HasMetadata>> ownerTypes) {
        this.client = client;
        this.informers = informers;
        this.dependents = dependents;
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
        boolean solid = false;
        boolean waiting = false;
        Set<String> unsolid = new HashSet<>();
        for (OwnerReference owner : owners) {
            switch (state(owner, key.namespace())) {
                case SOLID -> solid = true;
                case WAITING -> {
                    waiting = true;
                    unsolid.add(owner.getUid());
                }
                case DANGLING -> unsolid.add(owner.getUid());
            }
        }
        String kind = HasMetadata.getKind(dependentType);
        if (solid) {
            if (!unsolid.isEmpty()) {
                // lets a foreground deletion of the other owners proceed while this object stays
                dependents.removeOwnerReferences(dependent, unsolid);
                log.info("garbage collector: removed references to gone or deleting owners from {} {}", kind, key);
            }
            return Result.done();
        }
        DeletionPropagation policy = waiting && !dependents.of(dependent.getMetadata().getUid()).isEmpty()
                ? DeletionPropagation.FOREGROUND
                : GarbageCollector.policyFor(dependent);
        log.info("garbage collector: deleting {} {} ({}): no owner remains", kind, key, policy);
        try {
            dependents.resource(dependentType, key).withPropagationPolicy(policy).delete();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
        return Result.done();
    }

    private OwnerState state(OwnerReference ref, String namespace) {
        Optional<Class<? extends HasMetadata>> known = ownerTypes.stream().filter(type -> OwnerReferences.refersTo(ref, type)).findFirst();
        HasMetadata owner;
        if (known.isPresent()) {
            Class<? extends HasMetadata> type = known.get();
            ObjectKey ownerKey = new ObjectKey(Dependents.isNamespaced(type) ? namespace : "", ref.getName());
            owner = dependents.cached(type, ownerKey);
            if (owner == null || !ref.getUid().equals(owner.getMetadata().getUid())) {
                // the cache may lag behind a freshly created owner: confirm with a live read, as upstream
                owner = dependents.resource(type, ownerKey).get();
            }
        } else {
            try {
                GenericKubernetesResource live = client.genericKubernetesResources(ref.getApiVersion(), ref.getKind())
                        .inNamespace(namespace).withName(ref.getName()).get();
                owner = live;
            } catch (KubernetesClientException | IllegalArgumentException e) {
                // an owner kind we cannot resolve is not proof that the owner is gone
                log.debug("garbage collector: cannot look up owner {} {}: {}", ref.getKind(), ref.getName(), e.getMessage());
                return OwnerState.SOLID;
            }
        }
        if (owner == null || !ref.getUid().equals(owner.getMetadata().getUid())) {
            return OwnerState.DANGLING;
        }
        if (owner.getMetadata().getDeletionTimestamp() != null
                && GarbageCollector.finalizers(owner).contains(GarbageCollector.FOREGROUND_FINALIZER)) {
            return OwnerState.WAITING;
        }
        return OwnerState.SOLID;
    }
}
