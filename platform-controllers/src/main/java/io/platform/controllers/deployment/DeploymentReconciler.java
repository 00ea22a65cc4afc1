package io.platform.controllers.deployment;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.platform.common.events.EventRecorder;
import io.platform.common.reconcile.Controller;
import io.platform.common.reconcile.ObjectKey;
import io.platform.common.reconcile.OwnerReferences;
import io.platform.common.reconcile.Reconciler;
import io.platform.common.reconcile.Result;
import io.platform.common.reconcile.SharedInformers;
import io.platform.common.selector.LabelSelectors;
import io.platform.controllers.ownership.ControllerRefClaims;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Drives a Deployment through ReplicaSets, as kube-controller-manager's Deployment controller: one
 * ReplicaSet per pod template ({@link NewReplicaSet}), revisions in
 * {@code deployment.kubernetes.io/revision}, {@link RollingUpdate} or {@link Recreate}, proportional
 * scaling ({@link ReplicaSetScaler}), pause, history cleanup ({@link RevisionHistory}), and the
 * status and conditions that {@code kubectl rollout status} reads ({@link DeploymentStatusWriter}).
 */
public final class DeploymentReconciler implements Reconciler {

    public static final String REVISION = "deployment.kubernetes.io/revision";
    public static final String DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas";
    public static final String MAX_REPLICAS = "deployment.kubernetes.io/max-replicas";

    private final KubernetesClient client;
    private final SharedInformers informers;
    private final EventRecorder events;
    private final ControllerRefClaims claims;
    private final PodTemplateHash hashes;
    private final NewReplicaSet newReplicaSets;
    private final ReplicaSetScaler scaler;
    private final RevisionHistory history;
    private final DeploymentStatusWriter status;
    private final RollingUpdate rollingUpdate;
    private final Recreate recreate;

    public DeploymentReconciler(KubernetesClient client, SharedInformers informers, EventRecorder events, Clock clock) {
        this.client = client;
        this.informers = informers;
        this.events = events;
        this.claims = new ControllerRefClaims(client);
        this.hashes = new PodTemplateHash(client.getKubernetesSerialization());
        DeploymentConditions conditions = new DeploymentConditions(clock);
        this.newReplicaSets = new NewReplicaSet(client, events, hashes, conditions);
        this.scaler = new ReplicaSetScaler(client, events);
        this.history = new RevisionHistory(client);
        this.status = new DeploymentStatusWriter(client, conditions, clock);
        this.rollingUpdate = new RollingUpdate(newReplicaSets, scaler, history, status);
        this.recreate = new Recreate(informers, newReplicaSets, scaler, history, status);
    }

    /** The controller: Deployments, the ReplicaSets they own, orphan ReplicaSets they select, and pods (for Recreate). */
    public static Controller controller(SharedInformers informers, Reconciler reconciler, int workers,
            Duration backoffBase, Duration backoffMax) {
        return Controller.builder("deployment", informers)
                .forType(Deployment.class)
                .owns(ReplicaSet.class)
                .watches(ReplicaSet.class, rs -> OwnerReferences.controllerOf(rs).isPresent() ? List.of()
                        : informers.listInNamespace(Deployment.class, rs.getMetadata().getNamespace()).stream()
                                .filter(d -> LabelSelectors.matches(d.getSpec().getSelector(), rs.getMetadata().getLabels()))
                                .map(ObjectKey::of).toList())
                .watches(Pod.class, pod -> pod.getMetadata().getDeletionTimestamp() == null ? List.of()
                        : OwnerReferences.controllerOf(pod).flatMap(ref -> informers.get(ReplicaSet.class,
                                new ObjectKey(pod.getMetadata().getNamespace(), ref.getName())))
                                .flatMap(OwnerReferences::controllerOf)
                                .map(ref -> List.of(new ObjectKey(pod.getMetadata().getNamespace(), ref.getName()))).orElse(List.of()))
                .reconciler(reconciler)
                .workers(workers)
                .backoff(backoffBase, backoffMax)
                .build();
    }

    @Override
    public Result reconcile(ObjectKey key) {
        Deployment d = informers.get(Deployment.class, key).orElse(null);
        if (d == null) {
            return Result.done();
        }
        if (LabelSelectors.isEmpty(d.getSpec().getSelector())) {
            events.warning(d, "SelectingAll", "This deployment is selecting all pods. A non-empty selector is required.");
            return Result.done();
        }
        List<ReplicaSet> candidates = informers.listInNamespace(ReplicaSet.class, key.namespace());
        List<ReplicaSet> owned = claims.claim(d, d.getSpec().getSelector(), candidates,
                () -> Optional.ofNullable(client.apps().deployments().inNamespace(key.namespace()).withName(key.name()).get()));
        DeploymentSync sync = new DeploymentSync(d, owned, hashes);
        if (d.getMetadata().getDeletionTimestamp() != null) {
            return status.write(sync, false);
        }
        status.checkPausedConditions(sync);
        if (Boolean.TRUE.equals(d.getSpec().getPaused()) || ReplicaSetScaler.isScalingEvent(sync)) {
            return scaleOnly(sync);
        }
        if (RolloutParameters.isRecreate(d)) {
            return recreate.rollout(sync);
        }
        return rollingUpdate.rollout(sync);
    }

    /** As upstream's sync: a paused Deployment or a change of replicas only resizes, and never starts a rollout. */
    private Result scaleOnly(DeploymentSync sync) {
        ReplicaSet newRS = newReplicaSets.get(sync, false);
        scaler.scaleProportionally(sync, newRS);
        if (Boolean.TRUE.equals(sync.d.getSpec().getPaused())) {
            history.cleanup(sync);
        }
        return status.write(sync, false);
    }
}
