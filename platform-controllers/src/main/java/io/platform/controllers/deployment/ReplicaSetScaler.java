package io.platform.controllers.deployment;

import static io.platform.controllers.deployment.DeploymentReconciler.DESIRED_REPLICAS;
import static io.platform.controllers.deployment.DeploymentReconciler.MAX_REPLICAS;
import static io.platform.controllers.deployment.ReplicaSetFields.BY_CREATION;
import static io.platform.controllers.deployment.ReplicaSetFields.annotation;
import static io.platform.controllers.deployment.ReplicaSetFields.available;
import static io.platform.controllers.deployment.ReplicaSetFields.name;
import static io.platform.controllers.deployment.ReplicaSetFields.specReplicas;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.platform.common.events.EventRecorder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resizes a Deployment's ReplicaSets: one at a time (with the ScalingReplicaSet event), or all
 * active ones in proportion when the Deployment's replicas change mid-rollout, as upstream's scale;
 * and keeps their desired/max-replicas annotations current.
 */
final class ReplicaSetScaler {

    private static final Logger log = LoggerFactory.getLogger(ReplicaSetScaler.class);

    private final KubernetesClient client;
    private final EventRecorder events;

    ReplicaSetScaler(KubernetesClient client, EventRecorder events) {
        this.client = client;
        this.events = events;
    }

    /** Sets a ReplicaSet's replicas and its desired/max-replicas annotations; returns whether replicas changed. */
    boolean scale(DeploymentSync sync, ReplicaSet rs, int newReplicas) {
        int oldReplicas = specReplicas(rs);
        ReplicaSet copy = client.getKubernetesSerialization().clone(rs);
        copy.getSpec().setReplicas(newReplicas);
        boolean annotationsChanged = setReplicaAnnotations(sync.d, copy);
        if (oldReplicas == newReplicas && !annotationsChanged) {
            return false;
        }
        ReplicaSet updated = client.resource(copy).update();
        sync.replace(updated);
        if (oldReplicas != newReplicas) {
            String direction = newReplicas > oldReplicas ? "up" : "down";
            log.info("deployment {}: scaled {} replica set {} from {} to {}", sync.key(), direction, name(rs), oldReplicas, newReplicas);
            events.normal(sync.d, "ScalingReplicaSet",
                    "Scaled " + direction + " replica set " + name(rs) + " from " + oldReplicas + " to " + newReplicas);
        }
        return oldReplicas != newReplicas;
    }

    /** Spreads a change of replicas over the active ReplicaSets in proportion to their size, as upstream's scale. */
    void scaleProportionally(DeploymentSync sync, @Nullable ReplicaSet newRS) {
        List<ReplicaSet> active = sync.all.stream().filter(rs -> specReplicas(rs) > 0).toList();
        ReplicaSet only = null;
        if (active.size() == 1) {
            only = active.getFirst();
        } else if (active.isEmpty()) {
            only = newRS != null ? newRS : sync.all.stream().max(BY_CREATION).orElse(null);
        }
        if (only != null || active.isEmpty()) {
            if (only != null && specReplicas(only) != sync.replicas()) {
                scale(sync, only, sync.replicas());
            } else if (only != null) {
                updateReplicaAnnotations(sync, only);
            }
            return;
        }
        if (newRS != null && specReplicas(newRS) == sync.replicas() && available(newRS) == sync.replicas()) {
            for (ReplicaSet old : sync.oldRSs()) {
                if (specReplicas(old) > 0) {
                    scale(sync, old, 0);
                }
            }
            return;
        }
        int allowed = sync.replicas() + (RolloutParameters.isRecreate(sync.d) ? 0 : RolloutParameters.maxSurge(sync.d));
        int current = active.stream().mapToInt(ReplicaSetFields::specReplicas).sum();
        int toAdd = allowed - current;
        Map<String, Integer> sizes = new LinkedHashMap<>();
        List<ReplicaSet> ordered = new ArrayList<>(active);
        ordered.sort(Comparator.comparingInt(ReplicaSetFields::specReplicas).reversed().thenComparing(BY_CREATION.reversed()));
        int added = 0;
        for (ReplicaSet rs : ordered) {
            int share = toAdd == 0 ? 0 : (int) Math.round((double) toAdd * specReplicas(rs) / current);
            if (Math.abs(added + share) > Math.abs(toAdd)) {
                share = toAdd - added;
            }
            sizes.put(rs.getMetadata().getUid(), specReplicas(rs) + share);
            added += share;
        }
        if (!ordered.isEmpty() && added != toAdd) {
            String first = ordered.getFirst().getMetadata().getUid();
            sizes.merge(first, toAdd - added, Integer::sum);
        }
        for (ReplicaSet rs : ordered) {
            scale(sync, rs, Math.max(0, sizes.get(rs.getMetadata().getUid())));
        }
    }

    /** Whether an active ReplicaSet was sized for other replicas than the Deployment's: a scale, not a rollout. */
    static boolean isScalingEvent(DeploymentSync sync) {
        for (ReplicaSet rs : sync.all) {
            if (specReplicas(rs) <= 0) {
                continue;
            }
            String desired = annotation(rs, DESIRED_REPLICAS);
            if (desired != null && Integer.parseInt(desired) != sync.replicas()) {
                return true;
            }
        }
        return false;
    }

    private void updateReplicaAnnotations(DeploymentSync sync, ReplicaSet rs) {
        ReplicaSet copy = client.getKubernetesSerialization().clone(rs);
        if (setReplicaAnnotations(sync.d, copy)) {
            sync.replace(client.resource(copy).update());
        }
    }

    /** Sets desired-replicas and max-replicas (replicas + maxSurge) on the ReplicaSet; returns whether they changed. */
    static boolean setReplicaAnnotations(Deployment d, ReplicaSet rs) {
        int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        String desired = Integer.toString(replicas);
        String max = Integer.toString(replicas + RolloutParameters.maxSurge(d));
        Map<String, String> annotations = new HashMap<>(rs.getMetadata().getAnnotations() == null ? Map.of() : rs.getMetadata().getAnnotations());
        if (desired.equals(annotations.get(DESIRED_REPLICAS)) && max.equals(annotations.get(MAX_REPLICAS))) {
            return false;
        }
        annotations.put(DESIRED_REPLICAS, desired);
        annotations.put(MAX_REPLICAS, max);
        rs.getMetadata().setAnnotations(annotations);
        return true;
    }
}
