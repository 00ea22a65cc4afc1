package io.platform.controllers.garbagecollector;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.platform.common.reconcile.ObjectKey;
import io.platform.common.reconcile.Reconciler;
import io.platform.common.reconcile.Result;
import io.platform.common.reconcile.SharedInformers;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Processes the deletion finalizers of one owner type, as upstream's garbage collector: {@code orphan} is
 * removed once no cached dependent references the owner any more (their references are removed here);
 * {@code foregroundDeletion} is removed once no dependent blocks the owner's deletion (the dependents
 * themselves are deleted by {@link DependentReconciler}, which sees their owner waiting for them).
 */
final class OwnerFinalizerReconciler<T extends HasMetadata> implements Reconciler {

    private static final Logger log = LoggerFactory.getLogger(OwnerFinalizerReconciler.class);

    private final SharedInformers informers;
    private final Dependents dependents;
    private final Class<T> type;

    OwnerFinalizerReconciler(SharedInformers informers, Dependents dependents, Class<T> type) {
        this.informers = informers;
        this.dependents = dependents;
        this.type = type;
    }

    static boolean hasDeletionFinalizer(HasMetadata object) {
        List<String> finalizers = GarbageCollector.finalizers(object);
        return object.getMetadata().getDeletionTimestamp() != null
                && (finalizers.contains(GarbageCollector.ORPHAN_FINALIZER) || finalizers.contains(GarbageCollector.FOREGROUND_FINALIZER));
    }

    @Override
    public Result reconcile(ObjectKey key) {
        T owner = informers.get(type, key).orElse(null);
        if (owner == null || !hasDeletionFinalizer(owner)) {
            return Result.done();
        }
        String uid = owner.getMetadata().getUid();
        String kind = HasMetadata.getKind(type);
        List<String> finalizers = GarbageCollector.finalizers(owner);
        if (finalizers.contains(GarbageCollector.ORPHAN_FINALIZER)) {
            List<HasMetadata> orphans = dependents.of(uid);
            for (HasMetadata dependent : orphans) {
                dependents.removeOwnerReferences(dependent, Set.of(uid));
            }
            dependents.removeFinalizer(owner, GarbageCollector.ORPHAN_FINALIZER);
            log.info("garbage collector: orphaned {} dependents of {} {}", orphans.size(), kind, key);
            return Result.done();
        }
        List<HasMetadata> blocking = dependents.blocking(uid);
        if (!blocking.isEmpty()) {
            // each blocking dependent's deletion enqueues this owner again
            log.debug("garbage collector: {} {} waits for {} blocking dependents", kind, key, blocking.size());
            return Result.done();
        }
        dependents.removeFinalizer(owner, GarbageCollector.FOREGROUND_FINALIZER);
        log.info("garbage collector: dependents of {} {} are gone; removed its {} finalizer", kind, key,
                GarbageCollector.FOREGROUND_FINALIZER);
        return Result.done();
    }
}
