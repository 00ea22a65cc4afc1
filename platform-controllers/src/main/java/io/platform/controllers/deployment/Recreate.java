package io.platform.controllers.deployment;

import static io.platform.controllers.deployment.ReplicaSetFields.phase;
import static io.platform.controllers.deployment.ReplicaSetFields.specReplicas;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.platform.common.reconcile.Result;
import io.platform.common.reconcile.SharedInformers;
import java.util.Objects;

/**
 * The Recreate strategy, as upstream's rolloutRecreate: scale every old ReplicaSet to zero, wait
 * until none of their pods is left running, and only then create and scale up the new one.
 */
final class Recreate {

    private final SharedInformers informers;
    private final NewReplicaSet newReplicaSets;
    private final ReplicaSetScaler scaler;
    private final RevisionHistory history;
    private final DeploymentStatusWriter status;

    Recreate(SharedInformers informers, NewReplicaSet newReplicaSets, ReplicaSetScaler scaler, RevisionHistory history,
            DeploymentStatusWriter status) {
        this.informers = informers;
        this.newReplicaSets = newReplicaSets;
        this.scaler = scaler;
        this.history = history;
        this.status = status;
    }

    Result rollout(DeploymentSync sync) {
        newReplicaSets.get(sync, false);
        boolean scaledDown = false;
        for (ReplicaSet old : sync.oldRSs()) {
            if (specReplicas(old) > 0) {
                scaler.scale(sync, old, 0);
                scaledDown = true;
            }
        }
        if (scaledDown || oldPodsRunning(sync)) {
            // as upstream Recreate: no new pod before every old one is gone
            return status.write(sync, true);
        }
        ReplicaSet newRS = newReplicaSets.get(sync, true);
        scaler.scale(sync, Objects.requireNonNull(newRS), sync.replicas());
        if (status.complete(sync)) {
            history.cleanup(sync);
        }
        return status.write(sync, true);
    }

    private boolean oldPodsRunning(DeploymentSync sync) {
        for (ReplicaSet old : sync.oldRSs()) {
            if (old.getStatus() != null && old.getStatus().getReplicas() != null && old.getStatus().getReplicas() > 0) {
                return true;
            }
            boolean podsLeft = informers.listOwnedBy(Pod.class, old.getMetadata().getUid()).stream()
                    .anyMatch(pod -> !"Succeeded".equals(phase(pod)) && !"Failed".equals(phase(pod)));
            if (podsLeft) {
                return true;
            }
        }
        return false;
    }
}
