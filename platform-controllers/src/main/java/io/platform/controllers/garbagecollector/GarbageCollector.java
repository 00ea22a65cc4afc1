package io.platform.controllers.garbagecollector;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.platform.common.reconcile.Controller;
import io.platform.common.reconcile.ObjectKey;
import io.platform.common.reconcile.OwnerReferences;
import io.platform.common.reconcile.Reconciler;
import io.platform.common.reconcile.SharedInformers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Garbage collection as kube-controller-manager's garbage collector, over the types it is given:
 * dependents whose owners are all gone are deleted (background propagation); owners deleted with
 * propagation {@code Orphan} carry the {@code orphan} finalizer until their dependents no longer
 * reference them, and owners deleted with {@code Foreground} carry {@code foregroundDeletion} until
 * their dependents, deleted first, are gone. One controller per dependent type and one per type
 * whose deletion finalizers it processes; owner and dependent events reach each other through the
 * owner-uid index.
 */
public final class GarbageCollector {

    /** The finalizers the API server adds for the propagation policies, as metav1's constants. */
    static final String ORPHAN_FINALIZER = "orphan";
    static final String FOREGROUND_FINALIZER = "foregroundDeletion";

    private GarbageCollector() {}

    /**
     * Controllers for each dependent type, reacting to changes of each owner type, and controllers processing
     * the deletion finalizers of every owner and dependent type.
     *
     * @param guard wraps each controller's reconciler (the manager's shutdown gate)
     */
    public static List<Controller> controllers(KubernetesClient client, SharedInformers informers,
            List<Class<? extends HasMetadata>> dependentTypes, List<Class<? extends HasMetadata>> ownerTypes,
            UnaryOperator<Reconciler> guard, int workers, Duration backoffBase, Duration backoffMax) {
        Dependents dependents = new Dependents(client, informers, dependentTypes);
        List<Controller> controllers = new ArrayList<>();
        for (Class<? extends HasMetadata> dependentType : dependentTypes) {
            controllers.add(dependentController(client, informers, dependents, dependentType, ownerTypes, guard, workers,
                    backoffBase, backoffMax));
        }
        Set<Class<? extends HasMetadata>> finalizing = new LinkedHashSet<>(ownerTypes);
        finalizing.addAll(dependentTypes);
        for (Class<? extends HasMetadata> type : finalizing) {
            controllers.add(finalizerController(informers, dependents, type, dependentTypes, guard, workers,
                    backoffBase, backoffMax));
        }
        return controllers;
    }

    private static <D extends HasMetadata> Controller dependentController(KubernetesClient client, SharedInformers informers,
            Dependents dependents, Class<D> dependentType, List<Class<? extends HasMetadata>> ownerTypes,
            UnaryOperator<Reconciler> guard, int workers, Duration backoffBase, Duration backoffMax) {
        Controller.Builder builder = Controller.builder("garbagecollector-" + HasMetadata.getKind(dependentType).toLowerCase(), informers)
                .forType(dependentType, dependent -> !OwnerReferences.of(dependent).isEmpty());
        for (Class<? extends HasMetadata> ownerType : ownerTypes) {
            builder.watches(ownerType, owner -> informers.listOwnedBy(dependentType, owner.getMetadata().getUid()).stream()
                    .map(ObjectKey::of).toList());
        }
        return builder.reconciler(guard.apply(new DependentReconciler<>(client, informers, dependents, dependentType, ownerTypes)))
                .workers(workers)
                .backoff(backoffBase, backoffMax)
                .build();
    }

    private static <T extends HasMetadata> Controller finalizerController(SharedInformers informers,
            Dependents dependents, Class<T> type, List<Class<? extends HasMetadata>> dependentTypes,
            UnaryOperator<Reconciler> guard, int workers, Duration backoffBase, Duration backoffMax) {
        Controller.Builder builder = Controller.builder("garbagecollector-finalizers-" + HasMetadata.getKind(type).toLowerCase(), informers)
                .forType(type, OwnerFinalizerReconciler::hasDeletionFinalizer);
        for (Class<? extends HasMetadata> dependentType : dependentTypes) {
            // a dependent that changes or goes may unblock its owners' finalizers
            builder.watches(dependentType, dependent -> ownerKeys(dependent, type));
        }
        return builder.reconciler(guard.apply(new OwnerFinalizerReconciler<>(informers, dependents, type)))
                .workers(workers)
                .backoff(backoffBase, backoffMax)
                .build();
    }

    private static List<ObjectKey> ownerKeys(HasMetadata dependent, Class<? extends HasMetadata> ownerType) {
        String namespace = Dependents.isNamespaced(ownerType) ? dependent.getMetadata().getNamespace() : "";
        List<ObjectKey> keys = new ArrayList<>();
        for (OwnerReference ref : OwnerReferences.of(dependent)) {
            if (OwnerReferences.refersTo(ref, ownerType)) {
                keys.add(new ObjectKey(namespace, ref.getName()));
            }
        }
        return keys;
    }

    static DeletionPropagation policyFor(HasMetadata object) {
        List<String> finalizers = finalizers(object);
        if (finalizers.contains(ORPHAN_FINALIZER)) {
            return DeletionPropagation.ORPHAN;
        }
        if (finalizers.contains(FOREGROUND_FINALIZER)) {
            return DeletionPropagation.FOREGROUND;
        }
        return DeletionPropagation.BACKGROUND;
    }

    static List<String> finalizers(HasMetadata object) {
        List<String> finalizers = object.getMetadata().getFinalizers();
        return finalizers == null ? List.of() : finalizers;
    }
}
