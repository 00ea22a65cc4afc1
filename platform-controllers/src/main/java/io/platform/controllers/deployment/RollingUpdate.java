package io.platform.controllers.deployment;

import static io.platform.controllers.deployment.ReplicaSetFields.available;
import static io.platform.controllers.deployment.ReplicaSetFields.specReplicas;

import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.platform.common.reconcile.Result;
import java.util.List;
import java.util.Objects;

/**
 * The RollingUpdate strategy, as upstream's rolloutRolling: grow the new ReplicaSet within maxSurge,
 * shrink the old ones within maxUnavailable (unhealthy pods first), and clean up history once done.
 */
final class RollingUpdate {

    private final NewReplicaSet newReplicaSets;
    private final ReplicaSetScaler scaler;
    private final RevisionHistory history;
    private final DeploymentStatusWriter status;

    RollingUpdate(NewReplicaSet newReplicaSets, ReplicaSetScaler scaler, RevisionHistory history, DeploymentStatusWriter status) {
        this.newReplicaSets = newReplicaSets;
        this.scaler = scaler;
        this.history = history;
        this.status = status;
    }

    Result rollout(DeploymentSync sync) {
        ReplicaSet newRS = newReplicaSets.get(sync, true);
        if (reconcileNewReplicaSet(sync, Objects.requireNonNull(newRS))) {
            return status.write(sync, true);
        }
        if (reconcileOldReplicaSets(sync)) {
            return status.write(sync, true);
        }
        if (status.complete(sync)) {
            history.cleanup(sync);
        }
        return status.write(sync, true);
    }

    /** Scales the new ReplicaSet up toward replicas within maxSurge, or down if above replicas. */
    private boolean reconcileNewReplicaSet(DeploymentSync sync, ReplicaSet newRS) {
        int replicas = sync.replicas();
        if (specReplicas(newRS) == replicas) {
            return false;
        }
        if (specReplicas(newRS) > replicas) {
            return scaler.scale(sync, newRS, replicas);
        }
        return scaler.scale(sync, newRS, NewReplicaSet.replicasFor(sync, newRS));
    }

    /** Scales old ReplicaSets down as far as maxUnavailable allows, unhealthy pods first. */
    private boolean reconcileOldReplicaSets(DeploymentSync sync) {
        List<ReplicaSet> old = sync.oldRSs();
        int oldPods = old.stream().mapToInt(ReplicaSetFields::specReplicas).sum();
        if (oldPods == 0) {
            return false;
        }
        ReplicaSet newRS = Objects.requireNonNull(sync.newRS());
        int allPods = sync.all.stream().mapToInt(ReplicaSetFields::specReplicas).sum();
        int minAvailable = sync.replicas() - RolloutParameters.maxUnavailable(sync.d);
        int newUnavailable = specReplicas(newRS) - available(newRS);
        int maxScaledDown = allPods - minAvailable - newUnavailable;
        if (maxScaledDown <= 0) {
            return false;
        }
        int scaledDown = 0;
        // first the pods that are not available anyway
        for (ReplicaSet rs : old) {
            if (scaledDown >= maxScaledDown) {
                break;
            }
            int unhealthy = specReplicas(rs) - available(rs);
            if (unhealthy <= 0) {
                continue;
            }
            int down = Math.min(unhealthy, maxScaledDown - scaledDown);
            scaler.scale(sync, rs, specReplicas(rs) - down);
            scaledDown += down;
        }
        int availablePods = sync.all.stream().mapToInt(ReplicaSetFields::available).sum();
        int total = Math.min(availablePods - minAvailable, maxScaledDown - scaledDown);
        for (ReplicaSet rs : sync.oldRSs()) {
            if (total <= 0) {
                break;
            }
            int down = Math.min(specReplicas(rs), total);
            if (down > 0) {
                scaler.scale(sync, rs, specReplicas(rs) - down);
                total -= down;
                scaledDown += down;
            }
        }
        return scaledDown > 0;
    }
}
