package io.platform.controllers.deployment;

import static io.platform.controllers.deployment.DeploymentConditions.PROGRESSING;
import static io.platform.controllers.deployment.DeploymentReconciler.DESIRED_REPLICAS;
import static io.platform.controllers.deployment.DeploymentReconciler.MAX_REPLICAS;
import static io.platform.controllers.deployment.DeploymentReconciler.REVISION;
import static io.platform.controllers.deployment.ReplicaSetFields.annotation;
import static io.platform.controllers.deployment.ReplicaSetFields.name;
import static io.platform.controllers.deployment.ReplicaSetFields.parseInt;
import static io.platform.controllers.deployment.ReplicaSetFields.specReplicas;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.platform.common.events.EventRecorder;
import io.platform.common.reconcile.OwnerReferences;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ReplicaSet of the Deployment's current template, as upstream's getNewReplicaSet: found and
 * brought to the next revision, or created (named and labelled by its pod-template-hash, bumping
 * collisionCount when another template took the name); the Deployment's revision follows it.
 */
final class NewReplicaSet {

    // annotations of the Deployment that are not copied to its ReplicaSets, as upstream skipCopyAnnotation
    private static final List<String> NOT_COPIED = List.of("kubectl.kubernetes.io/last-applied-configuration",
            REVISION, "deployment.kubernetes.io/revision-history", DESIRED_REPLICAS, MAX_REPLICAS, "kubernetes.io/change-cause");

    private static final Logger log = LoggerFactory.getLogger(NewReplicaSet.class);

    private final KubernetesClient client;
    private final EventRecorder events;
    private final PodTemplateHash hashes;
    private final DeploymentConditions conditions;

    NewReplicaSet(KubernetesClient client, EventRecorder events, PodTemplateHash hashes, DeploymentConditions conditions) {
        this.client = client;
        this.events = events;
        this.hashes = hashes;
        this.conditions = conditions;
    }

    /** Finds the ReplicaSet of the current template, syncing its revision, or creates it when asked. */
    @Nullable ReplicaSet get(DeploymentSync sync, boolean create) {
        ReplicaSet existing = sync.newRS();
        int maxOldRevision = sync.all.stream().filter(rs -> rs != existing).mapToInt(ReplicaSetFields::revision).max().orElse(0);
        String newRevision = Integer.toString(maxOldRevision + 1);
        if (existing != null) {
            ReplicaSet copy = clone(existing);
            boolean changed = setNewReplicaSetAnnotations(sync.d, copy, newRevision);
            int minReady = RolloutParameters.minReadySeconds(sync.d);
            if (!Objects.equals(copy.getSpec().getMinReadySeconds(), minReady)) {
                copy.getSpec().setMinReadySeconds(minReady);
                changed = true;
            }
            ReplicaSet current = existing;
            if (changed) {
                current = client.resource(copy).update();
                sync.replace(current);
            }
            syncDeploymentRevision(sync, annotation(current, REVISION));
            if (DeploymentConditions.find(sync.conditions, PROGRESSING) == null) {
                DeploymentConditions.set(sync.conditions, conditions.create(PROGRESSING, "True", "FoundNewReplicaSet",
                        "Found new replica set \"" + name(current) + "\""));
            }
            return current;
        }
        if (!create) {
            return null;
        }
        return create(sync, newRevision);
    }

    private ReplicaSet create(DeploymentSync sync, String newRevision) {
        Integer collisionCount = sync.d.getStatus() == null ? null : sync.d.getStatus().getCollisionCount();
        PodTemplateSpec template = clone(sync.d.getSpec().getTemplate());
        String hash = hashes.compute(template, collisionCount);
        if (template.getMetadata().getLabels() == null) {
            template.getMetadata().setLabels(new HashMap<>());
        }
        template.getMetadata().getLabels().put(PodTemplateHash.LABEL, hash);
        LabelSelector selector = clone(sync.d.getSpec().getSelector());
        Map<String, String> matchLabels = new HashMap<>(selector.getMatchLabels() == null ? Map.of() : selector.getMatchLabels());
        matchLabels.put(PodTemplateHash.LABEL, hash);
        selector.setMatchLabels(matchLabels);
        ReplicaSet rs = new ReplicaSetBuilder()
                .withNewMetadata()
                .withName(sync.d.getMetadata().getName() + "-" + hash)
                .withNamespace(sync.d.getMetadata().getNamespace())
                .withLabels(template.getMetadata().getLabels())
                .withOwnerReferences(OwnerReferences.controllerReference(sync.d))
                .endMetadata()
                .withNewSpec()
                .withReplicas(0)
                .withMinReadySeconds(RolloutParameters.minReadySeconds(sync.d))
                .withSelector(selector)
                .withTemplate(template)
                .endSpec()
                .build();
        setNewReplicaSetAnnotations(sync.d, rs, newRevision);
        sync.all.add(rs);
        int replicas = replicasFor(sync, rs);
        sync.all.remove(rs);
        rs.getSpec().setReplicas(replicas);
        ReplicaSetScaler.setReplicaAnnotations(sync.d, rs);
        ReplicaSet created;
        try {
            created = client.apps().replicaSets().inNamespace(sync.key().namespace()).resource(rs).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            ReplicaSet clash = client.apps().replicaSets().inNamespace(sync.key().namespace()).withName(name(rs)).get();
            if (clash != null && OwnerReferences.controllerOf(clash).map(ref -> ref.getUid().equals(sync.d.getMetadata().getUid())).orElse(false)
                    && hashes.equalIgnoringHash(clash.getSpec().getTemplate(), sync.d.getSpec().getTemplate())) {
                // our own creation that the cache has not shown yet
                sync.all.add(clash);
                return clash;
            }
            // a different template hashed to the same name: bump collisionCount so the next hash differs
            Deployment copy = clone(sync.d);
            if (copy.getStatus() == null) {
                copy.setStatus(new DeploymentStatus());
            }
            copy.getStatus().setCollisionCount(collisionCount == null ? 1 : collisionCount + 1);
            client.resource(copy).subresource("status").update();
            throw new KubernetesClientException("hash collision for ReplicaSet " + name(rs) + "; collisionCount bumped", 409, null);
        }
        sync.all.add(created);
        log.info("deployment {}: created replica set {} at revision {} with {} replicas", sync.key(), name(created), newRevision, replicas);
        if (replicas > 0) {
            events.normal(sync.d, "ScalingReplicaSet", "Scaled up replica set " + name(created) + " from 0 to " + replicas);
        }
        DeploymentConditions.set(sync.conditions, conditions.create(PROGRESSING, "True", "NewReplicaSetCreated",
                "Created new replica set \"" + name(created) + "\""));
        syncDeploymentRevision(sync, newRevision);
        return created;
    }

    /**
     * As NewRSNewReplicas: Recreate wants all replicas at once; RollingUpdate grows the new ReplicaSet
     * while the total stays within replicas + maxSurge.
     */
    static int replicasFor(DeploymentSync sync, @Nullable ReplicaSet newRS) {
        int current = newRS == null ? 0 : specReplicas(newRS);
        if (RolloutParameters.isRecreate(sync.d)) {
            return sync.replicas();
        }
        int maxTotal = sync.replicas() + RolloutParameters.maxSurge(sync.d);
        int podCount = sync.all.stream().mapToInt(ReplicaSetFields::specReplicas).sum();
        if (podCount >= maxTotal) {
            return current;
        }
        int scaleUp = Math.min(maxTotal - podCount, sync.replicas() - current);
        return current + Math.max(scaleUp, 0);
    }

    private static boolean setNewReplicaSetAnnotations(Deployment d, ReplicaSet rs, String newRevision) {
        Map<String, String> annotations = new HashMap<>(rs.getMetadata().getAnnotations() == null ? Map.of() : rs.getMetadata().getAnnotations());
        Map<String, String> before = Map.copyOf(annotations);
        if (d.getMetadata().getAnnotations() != null) {
            d.getMetadata().getAnnotations().forEach((k, v) -> {
                if (!NOT_COPIED.contains(k)) {
                    annotations.put(k, v);
                }
            });
        }
        String current = annotations.get(REVISION);
        if (current == null || parseInt(current) < parseInt(newRevision)) {
            annotations.put(REVISION, newRevision);
        }
        rs.getMetadata().setAnnotations(annotations);
        return !before.equals(annotations);
    }

    private void syncDeploymentRevision(DeploymentSync sync, @Nullable String revision) {
        if (revision == null || revision.equals(annotation(sync.d, REVISION))) {
            return;
        }
        Deployment copy = clone(sync.d);
        Map<String, String> annotations = new HashMap<>(copy.getMetadata().getAnnotations() == null ? Map.of() : copy.getMetadata().getAnnotations());
        annotations.put(REVISION, revision);
        copy.getMetadata().setAnnotations(annotations);
        sync.d = client.resource(copy).update();
    }

    private <T> T clone(T object) {
        return client.getKubernetesSerialization().clone(object);
    }
}
