package io.platform.controllers.deployment;

import static io.platform.controllers.deployment.DeploymentConditions.AVAILABLE;
import static io.platform.controllers.deployment.DeploymentConditions.NEW_RS_AVAILABLE;
import static io.platform.controllers.deployment.DeploymentConditions.PAUSED;
import static io.platform.controllers.deployment.DeploymentConditions.PROGRESSING;
import static io.platform.controllers.deployment.DeploymentConditions.RESUMED;
import static io.platform.controllers.deployment.DeploymentConditions.TIMED_OUT;
import static io.platform.controllers.deployment.ReplicaSetFields.name;
import static io.platform.controllers.deployment.ReplicaSetFields.orZero;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.platform.common.reconcile.Result;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The Deployment's status from its ReplicaSets, with the Available and Progressing conditions that
 * {@code kubectl rollout status} reads (progress deadline included), as upstream's syncRolloutStatus.
 */
final class DeploymentStatusWriter {

    private final KubernetesClient client;
    private final DeploymentConditions conditions;
    private final Clock clock;

    DeploymentStatusWriter(KubernetesClient client, DeploymentConditions conditions, Clock clock) {
        this.client = client;
        this.conditions = conditions;
        this.clock = clock;
    }

    DeploymentStatus calculate(DeploymentSync sync) {
        ReplicaSet newRS = sync.newRS();
        int available = sync.all.stream().mapToInt(ReplicaSetFields::available).sum();
        int specTotal = sync.all.stream().mapToInt(ReplicaSetFields::specReplicas).sum();
        DeploymentStatus status = new DeploymentStatus();
        status.setObservedGeneration(sync.d.getMetadata().getGeneration());
        status.setReplicas(sync.all.stream().mapToInt(ReplicaSetFields::statusReplicas).sum());
        status.setUpdatedReplicas(newRS == null ? 0 : ReplicaSetFields.statusReplicas(newRS));
        status.setReadyReplicas(sync.all.stream().mapToInt(rs -> rs.getStatus() == null || rs.getStatus().getReadyReplicas() == null
                ? 0 : rs.getStatus().getReadyReplicas()).sum());
        status.setAvailableReplicas(available);
        status.setUnavailableReplicas(Math.max(0, specTotal - available));
        status.setCollisionCount(sync.d.getStatus() == null ? null : sync.d.getStatus().getCollisionCount());
        List<DeploymentCondition> list = new ArrayList<>(sync.conditions);
        if (available >= sync.replicas() - RolloutParameters.maxUnavailable(sync.d)) {
            DeploymentConditions.set(list, conditions.create(AVAILABLE, "True", "MinimumReplicasAvailable", "Deployment has minimum availability."));
        } else {
            DeploymentConditions.set(list, conditions.create(AVAILABLE, "False", "MinimumReplicasUnavailable",
                    "Deployment does not have minimum availability."));
        }
        status.setConditions(list);
        return status;
    }

    /** Writes the status; with {@code rollout}, also the Progressing condition as upstream's syncRolloutStatus. */
    Result write(DeploymentSync sync, boolean rollout) {
        DeploymentStatus status = calculate(sync);
        Result result = Result.done();
        ReplicaSet newRS = sync.newRS();
        int deadline = sync.d.getSpec().getProgressDeadlineSeconds() == null ? 600 : sync.d.getSpec().getProgressDeadlineSeconds();
        boolean hasDeadline = deadline != Integer.MAX_VALUE;
        DeploymentCondition progressing = DeploymentConditions.find(status.getConditions(), PROGRESSING);
        boolean alreadyComplete = progressing != null && NEW_RS_AVAILABLE.equals(progressing.getReason())
                && Objects.equals(status.getReplicas(), status.getUpdatedReplicas());
        if (rollout && hasDeadline && !alreadyComplete && newRS != null) {
            DeploymentStatus previous = sync.d.getStatus() == null ? new DeploymentStatus() : sync.d.getStatus();
            if (complete(sync, status)) {
                DeploymentConditions.set(status.getConditions(), conditions.create(PROGRESSING, "True", NEW_RS_AVAILABLE,
                        "ReplicaSet \"" + name(newRS) + "\" has successfully progressed."));
            } else if (progressed(previous, status)) {
                DeploymentCondition updated = conditions.create(PROGRESSING, "True", "ReplicaSetUpdated",
                        "ReplicaSet \"" + name(newRS) + "\" is progressing.");
                if (progressing != null && "True".equals(progressing.getStatus())) {
                    updated.setLastTransitionTime(progressing.getLastTransitionTime());
                }
                status.getConditions().removeIf(c -> PROGRESSING.equals(c.getType()));
                status.getConditions().add(updated);
                result = Result.requeueAfter(Duration.ofSeconds(deadline));
            } else if (timedOut(progressing, deadline)) {
                DeploymentConditions.set(status.getConditions(), conditions.create(PROGRESSING, "False", TIMED_OUT,
                        "ReplicaSet \"" + name(newRS) + "\" has timed out progressing."));
            } else if (progressing != null && !TIMED_OUT.equals(progressing.getReason()) && progressing.getLastUpdateTime() != null) {
                // nothing happens when a rollout stalls: come back when its deadline passes
                Instant due = Instant.parse(progressing.getLastUpdateTime()).plusSeconds(deadline);
                Duration wait = Duration.between(clock.instant(), due);
                result = Result.requeueAfter(wait.isNegative() ? Duration.ZERO : wait.plusSeconds(1));
            }
        }
        if (!Objects.equals(status, sync.d.getStatus())) {
            Deployment copy = client.getKubernetesSerialization().clone(sync.d);
            copy.setStatus(status);
            client.resource(copy).subresource("status").update();
        }
        return result;
    }

    /** Whether every replica is updated and available and the latest generation is observed. */
    boolean complete(DeploymentSync sync) {
        return complete(sync, calculate(sync));
    }

    private static boolean complete(DeploymentSync sync, DeploymentStatus status) {
        int replicas = sync.replicas();
        long generation = sync.d.getMetadata().getGeneration() == null ? 0 : sync.d.getMetadata().getGeneration();
        long observed = status.getObservedGeneration() == null ? 0 : status.getObservedGeneration();
        return Objects.equals(status.getUpdatedReplicas(), replicas) && Objects.equals(status.getReplicas(), replicas)
                && Objects.equals(status.getAvailableReplicas(), replicas) && observed >= generation;
    }

    private static boolean progressed(DeploymentStatus previous, DeploymentStatus current) {
        int prevOld = orZero(previous.getReplicas()) - orZero(previous.getUpdatedReplicas());
        int curOld = orZero(current.getReplicas()) - orZero(current.getUpdatedReplicas());
        return orZero(current.getUpdatedReplicas()) > orZero(previous.getUpdatedReplicas()) || curOld < prevOld
                || orZero(current.getReadyReplicas()) > orZero(previous.getReadyReplicas())
                || orZero(current.getAvailableReplicas()) > orZero(previous.getAvailableReplicas());
    }

    private boolean timedOut(@Nullable DeploymentCondition progressing, int deadline) {
        if (progressing == null || NEW_RS_AVAILABLE.equals(progressing.getReason())) {
            return false;
        }
        if (TIMED_OUT.equals(progressing.getReason())) {
            return true;
        }
        if (progressing.getLastUpdateTime() == null) {
            return false;
        }
        return Instant.parse(progressing.getLastUpdateTime()).plusSeconds(deadline).isBefore(clock.instant());
    }

    /** As upstream checkPausedConditions: Progressing Unknown DeploymentPaused/DeploymentResumed, unless timed out. */
    void checkPausedConditions(DeploymentSync sync) {
        DeploymentCondition progressing = DeploymentConditions.find(sync.conditions, PROGRESSING);
        if (progressing != null && TIMED_OUT.equals(progressing.getReason())) {
            return;
        }
        boolean paused = Boolean.TRUE.equals(sync.d.getSpec().getPaused());
        boolean pausedCondition = progressing != null && PAUSED.equals(progressing.getReason());
        if (paused && !pausedCondition) {
            DeploymentConditions.set(sync.conditions, conditions.create(PROGRESSING, "Unknown", PAUSED, "Deployment is paused"));
        } else if (!paused && pausedCondition) {
            DeploymentConditions.set(sync.conditions, conditions.create(PROGRESSING, "Unknown", RESUMED, "Deployment is resumed"));
        }
    }
}
