package io.platform.controllers.deployment;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
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
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives a Deployment through ReplicaSets, as kube-controller-manager's Deployment controller: one
 * ReplicaSet per pod template (named and labelled by its {@code pod-template-hash}), revisions in
 * {@code deployment.kubernetes.io/revision}, RollingUpdate bounded by maxSurge/maxUnavailable or
 * Recreate, proportional scaling, pause, history cleanup, and the status and conditions that
 * {@code kubectl rollout status} reads.
 */
public final class DeploymentReconciler implements Reconciler {

    public static final String REVISION = "deployment.kubernetes.io/revision";
    public static final String DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas";
    public static final String MAX_REPLICAS = "deployment.kubernetes.io/max-replicas";
    static final String AVAILABLE = "Available";
    static final String PROGRESSING = "Progressing";
    static final String NEW_RS_AVAILABLE = "NewReplicaSetAvailable";
    static final String TIMED_OUT = "ProgressDeadlineExceeded";
    static final String PAUSED = "DeploymentPaused";
    static final String RESUMED = "DeploymentResumed";
    // annotations of the Deployment that are not copied to its ReplicaSets, as upstream skipCopyAnnotation
    private static final List<String> NOT_COPIED = List.of("kubectl.kubernetes.io/last-applied-configuration",
            REVISION, "deployment.kubernetes.io/revision-history", DESIRED_REPLICAS, MAX_REPLICAS, "kubernetes.io/change-cause");

    private static final Logger log = LoggerFactory.getLogger(DeploymentReconciler.class);

    private final KubernetesClient client;
    private final SharedInformers informers;
    private final EventRecorder events;
    private final ControllerRefClaims claims;
    private final PodTemplateHash hashes;
    private final Clock clock;

    public DeploymentReconciler(KubernetesClient client, SharedInformers informers, EventRecorder events, Clock clock) {
        this.client = client;
        this.informers = informers;
        this.events = events;
        this.claims = new ControllerRefClaims(client);
        this.hashes = new PodTemplateHash(client.getKubernetesSerialization());
        this.clock = clock;
    }

    /** The controller: Deployments, the ReplicaSets they own, orphan ReplicaSets they select, and pods (for Recreate). */
    public static Controller controller(SharedInformers informers, DeploymentReconciler reconciler, int workers,
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

    /** The state of one reconcile: the Deployment as last written and its ReplicaSets as last written. */
    private final class Sync {
        Deployment d;
        final List<ReplicaSet> all;
        final List<DeploymentCondition> conditions;

        Sync(Deployment d, List<ReplicaSet> all) {
            this.d = d;
            this.all = new ArrayList<>(all);
            this.conditions = new ArrayList<>(d.getStatus() == null || d.getStatus().getConditions() == null
                    ? List.of() : d.getStatus().getConditions());
        }

        ObjectKey key() {
            return ObjectKey.of(d);
        }

        int replicas() {
            return d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        }

        @Nullable ReplicaSet newRS() {
            return all.stream().sorted(BY_CREATION)
                    .filter(rs -> hashes.equalIgnoringHash(rs.getSpec().getTemplate(), d.getSpec().getTemplate()))
                    .findFirst().orElse(null);
        }

        List<ReplicaSet> oldRSs() {
            ReplicaSet newRS = newRS();
            return all.stream().filter(rs -> rs != newRS).sorted(BY_CREATION).toList();
        }

        void replace(ReplicaSet updated) {
            all.replaceAll(rs -> rs.getMetadata().getUid().equals(updated.getMetadata().getUid()) ? updated : rs);
        }
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
        Sync sync = new Sync(d, owned);
        if (d.getMetadata().getDeletionTimestamp() != null) {
            return writeStatus(sync, false);
        }
        checkPausedConditions(sync);
        if (Boolean.TRUE.equals(d.getSpec().getPaused())) {
            return scaleOnly(sync);
        }
        if (isScalingEvent(sync)) {
            return scaleOnly(sync);
        }
        if ("Recreate".equals(strategyType(d))) {
            return rolloutRecreate(sync);
        }
        return rolloutRolling(sync);
    }

    // --- rollouts -------------------------------------------------------------------------------

    private Result rolloutRolling(Sync sync) {
        ReplicaSet newRS = newReplicaSet(sync, true);
        if (reconcileNewReplicaSet(sync, Objects.requireNonNull(newRS))) {
            return writeStatus(sync, true);
        }
        if (reconcileOldReplicaSets(sync)) {
            return writeStatus(sync, true);
        }
        if (complete(sync, calculateStatus(sync))) {
            cleanup(sync);
        }
        return writeStatus(sync, true);
    }

    private Result rolloutRecreate(Sync sync) {
        newReplicaSet(sync, false);
        boolean scaledDown = false;
        for (ReplicaSet old : sync.oldRSs()) {
            if (specReplicas(old) > 0) {
                scale(sync, old, 0);
                scaledDown = true;
            }
        }
        if (scaledDown || oldPodsRunning(sync)) {
            // as upstream Recreate: no new pod before every old one is gone
            return writeStatus(sync, true);
        }
        ReplicaSet newRS = newReplicaSet(sync, true);
        scale(sync, Objects.requireNonNull(newRS), sync.replicas());
        if (complete(sync, calculateStatus(sync))) {
            cleanup(sync);
        }
        return writeStatus(sync, true);
    }

    private boolean oldPodsRunning(Sync sync) {
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

    private Result scaleOnly(Sync sync) {
        ReplicaSet newRS = newReplicaSet(sync, false);
        scaleProportionally(sync, newRS);
        if (Boolean.TRUE.equals(sync.d.getSpec().getPaused())) {
            cleanup(sync);
        }
        return writeStatus(sync, false);
    }

    /** Scales the new ReplicaSet up toward replicas within maxSurge, or down if above replicas. */
    private boolean reconcileNewReplicaSet(Sync sync, ReplicaSet newRS) {
        int replicas = sync.replicas();
        if (specReplicas(newRS) == replicas) {
            return false;
        }
        if (specReplicas(newRS) > replicas) {
            return scale(sync, newRS, replicas);
        }
        return scale(sync, newRS, newReplicaSetReplicas(sync, newRS));
    }

    /** As NewRSNewReplicas for RollingUpdate: grow the new ReplicaSet while the total stays within replicas + maxSurge. */
    private int newReplicaSetReplicas(Sync sync, @Nullable ReplicaSet newRS) {
        int current = newRS == null ? 0 : specReplicas(newRS);
        if ("Recreate".equals(strategyType(sync.d))) {
            return sync.replicas();
        }
        int maxTotal = sync.replicas() + maxSurge(sync.d);
        int podCount = sync.all.stream().mapToInt(DeploymentReconciler::specReplicas).sum();
        if (podCount >= maxTotal) {
            return current;
        }
        int scaleUp = Math.min(maxTotal - podCount, sync.replicas() - current);
        return current + Math.max(scaleUp, 0);
    }

    /** Scales old ReplicaSets down as far as maxUnavailable allows, unhealthy pods first. */
    private boolean reconcileOldReplicaSets(Sync sync) {
        List<ReplicaSet> old = sync.oldRSs();
        int oldPods = old.stream().mapToInt(DeploymentReconciler::specReplicas).sum();
        if (oldPods == 0) {
            return false;
        }
        ReplicaSet newRS = Objects.requireNonNull(sync.newRS());
        int allPods = sync.all.stream().mapToInt(DeploymentReconciler::specReplicas).sum();
        int minAvailable = sync.replicas() - maxUnavailable(sync.d);
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
            scale(sync, rs, specReplicas(rs) - down);
            scaledDown += down;
        }
        int availablePods = sync.all.stream().mapToInt(DeploymentReconciler::available).sum();
        int total = Math.min(availablePods - minAvailable, maxScaledDown - scaledDown);
        for (ReplicaSet rs : sync.oldRSs()) {
            if (total <= 0) {
                break;
            }
            int down = Math.min(specReplicas(rs), total);
            if (down > 0) {
                scale(sync, rs, specReplicas(rs) - down);
                total -= down;
                scaledDown += down;
            }
        }
        return scaledDown > 0;
    }

    /** Spreads a change of replicas over the active ReplicaSets in proportion to their size, as upstream's scale. */
    private void scaleProportionally(Sync sync, @Nullable ReplicaSet newRS) {
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
                setReplicaAnnotations(sync, only);
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
        int allowed = sync.replicas() + ("Recreate".equals(strategyType(sync.d)) ? 0 : maxSurge(sync.d));
        int current = active.stream().mapToInt(DeploymentReconciler::specReplicas).sum();
        int toAdd = allowed - current;
        Map<String, Integer> sizes = new LinkedHashMap<>();
        List<ReplicaSet> ordered = new ArrayList<>(active);
        ordered.sort(Comparator.comparingInt(DeploymentReconciler::specReplicas).reversed().thenComparing(BY_CREATION.reversed()));
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

    private boolean isScalingEvent(Sync sync) {
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

    // --- the new ReplicaSet ---------------------------------------------------------------------

    /** Finds the ReplicaSet of the current template, syncing its revision, or creates it when asked. */
    private @Nullable ReplicaSet newReplicaSet(Sync sync, boolean create) {
        ReplicaSet existing = sync.newRS();
        int maxOldRevision = sync.all.stream().filter(rs -> rs != existing).mapToInt(DeploymentReconciler::revision).max().orElse(0);
        String newRevision = Integer.toString(maxOldRevision + 1);
        if (existing != null) {
            ReplicaSet copy = clone(existing);
            boolean changed = setNewReplicaSetAnnotations(sync.d, copy, newRevision);
            int minReady = minReadySeconds(sync.d);
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
            if (condition(sync.conditions, PROGRESSING) == null) {
                setCondition(sync.conditions, condition(PROGRESSING, "True", "FoundNewReplicaSet",
                        "Found new replica set \"" + name(current) + "\""));
            }
            return current;
        }
        if (!create) {
            return null;
        }
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
        ReplicaSet rs = new io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder()
                .withNewMetadata()
                .withName(sync.d.getMetadata().getName() + "-" + hash)
                .withNamespace(sync.d.getMetadata().getNamespace())
                .withLabels(template.getMetadata().getLabels())
                .withOwnerReferences(OwnerReferences.controllerReference(sync.d))
                .endMetadata()
                .withNewSpec()
                .withReplicas(0)
                .withMinReadySeconds(minReadySeconds(sync.d))
                .withSelector(selector)
                .withTemplate(template)
                .endSpec()
                .build();
        setNewReplicaSetAnnotations(sync.d, rs, newRevision);
        sync.all.add(rs);
        int replicas = newReplicaSetReplicas(sync, rs);
        sync.all.remove(rs);
        rs.getSpec().setReplicas(replicas);
        setReplicaAnnotations(sync.d, rs);
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
        setCondition(sync.conditions, condition(PROGRESSING, "True", "NewReplicaSetCreated",
                "Created new replica set \"" + name(created) + "\""));
        syncDeploymentRevision(sync, newRevision);
        return created;
    }

    private boolean setNewReplicaSetAnnotations(Deployment d, ReplicaSet rs, String newRevision) {
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

    private void syncDeploymentRevision(Sync sync, @Nullable String revision) {
        if (revision == null || revision.equals(annotation(sync.d, REVISION))) {
            return;
        }
        Deployment copy = clone(sync.d);
        Map<String, String> annotations = new HashMap<>(copy.getMetadata().getAnnotations() == null ? Map.of() : copy.getMetadata().getAnnotations());
        annotations.put(REVISION, revision);
        copy.getMetadata().setAnnotations(annotations);
        sync.d = client.resource(copy).update();
    }

    // --- scaling and cleanup --------------------------------------------------------------------

    /** Sets a ReplicaSet's replicas and its desired/max-replicas annotations; returns whether replicas changed. */
    private boolean scale(Sync sync, ReplicaSet rs, int newReplicas) {
        int oldReplicas = specReplicas(rs);
        ReplicaSet copy = clone(rs);
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

    private void setReplicaAnnotations(Sync sync, ReplicaSet rs) {
        ReplicaSet copy = clone(rs);
        if (setReplicaAnnotations(sync.d, copy)) {
            sync.replace(client.resource(copy).update());
        }
    }

    private boolean setReplicaAnnotations(Deployment d, ReplicaSet rs) {
        int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        String desired = Integer.toString(replicas);
        String max = Integer.toString(replicas + maxSurge(d));
        Map<String, String> annotations = new HashMap<>(rs.getMetadata().getAnnotations() == null ? Map.of() : rs.getMetadata().getAnnotations());
        if (desired.equals(annotations.get(DESIRED_REPLICAS)) && max.equals(annotations.get(MAX_REPLICAS))) {
            return false;
        }
        annotations.put(DESIRED_REPLICAS, desired);
        annotations.put(MAX_REPLICAS, max);
        rs.getMetadata().setAnnotations(annotations);
        return true;
    }

    /** Deletes the oldest fully scaled-down ReplicaSets beyond revisionHistoryLimit (default 10). */
    private void cleanup(Sync sync) {
        int limit = sync.d.getSpec().getRevisionHistoryLimit() == null ? 10 : sync.d.getSpec().getRevisionHistoryLimit();
        List<ReplicaSet> cleanable = sync.oldRSs().stream().filter(rs -> rs.getMetadata().getDeletionTimestamp() == null)
                .sorted(Comparator.comparingInt(DeploymentReconciler::revision)).toList();
        int diff = cleanable.size() - limit;
        for (ReplicaSet rs : cleanable) {
            if (diff <= 0) {
                break;
            }
            long observed = rs.getStatus() == null || rs.getStatus().getObservedGeneration() == null ? 0 : rs.getStatus().getObservedGeneration();
            long generation = rs.getMetadata().getGeneration() == null ? 0 : rs.getMetadata().getGeneration();
            int statusReplicas = rs.getStatus() == null || rs.getStatus().getReplicas() == null ? 0 : rs.getStatus().getReplicas();
            if (statusReplicas != 0 || specReplicas(rs) != 0 || generation > observed) {
                continue;
            }
            log.info("deployment {}: deleting old replica set {} (revisionHistoryLimit {})", sync.key(), name(rs), limit);
            try {
                client.apps().replicaSets().inNamespace(sync.key().namespace()).withName(name(rs)).delete();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 404) {
                    throw e;
                }
            }
            sync.all.remove(rs);
            diff--;
        }
    }

    // --- status ---------------------------------------------------------------------------------

    private DeploymentStatus calculateStatus(Sync sync) {
        ReplicaSet newRS = sync.newRS();
        int available = sync.all.stream().mapToInt(DeploymentReconciler::available).sum();
        int specTotal = sync.all.stream().mapToInt(DeploymentReconciler::specReplicas).sum();
        DeploymentStatus status = new DeploymentStatus();
        status.setObservedGeneration(sync.d.getMetadata().getGeneration());
        status.setReplicas(sync.all.stream().mapToInt(DeploymentReconciler::statusReplicas).sum());
        status.setUpdatedReplicas(newRS == null ? 0 : statusReplicas(newRS));
        status.setReadyReplicas(sync.all.stream().mapToInt(rs -> rs.getStatus() == null || rs.getStatus().getReadyReplicas() == null
                ? 0 : rs.getStatus().getReadyReplicas()).sum());
        status.setAvailableReplicas(available);
        status.setUnavailableReplicas(Math.max(0, specTotal - available));
        status.setCollisionCount(sync.d.getStatus() == null ? null : sync.d.getStatus().getCollisionCount());
        List<DeploymentCondition> conditions = new ArrayList<>(sync.conditions);
        if (available >= sync.replicas() - maxUnavailable(sync.d)) {
            setCondition(conditions, condition(AVAILABLE, "True", "MinimumReplicasAvailable", "Deployment has minimum availability."));
        } else {
            setCondition(conditions, condition(AVAILABLE, "False", "MinimumReplicasUnavailable", "Deployment does not have minimum availability."));
        }
        status.setConditions(conditions);
        return status;
    }

    /** Writes the status; with {@code rollout}, also the Progressing condition as upstream's syncRolloutStatus. */
    private Result writeStatus(Sync sync, boolean rollout) {
        DeploymentStatus status = calculateStatus(sync);
        Result result = Result.done();
        ReplicaSet newRS = sync.newRS();
        int deadline = sync.d.getSpec().getProgressDeadlineSeconds() == null ? 600 : sync.d.getSpec().getProgressDeadlineSeconds();
        boolean hasDeadline = deadline != Integer.MAX_VALUE;
        DeploymentCondition progressing = condition(status.getConditions(), PROGRESSING);
        boolean alreadyComplete = progressing != null && NEW_RS_AVAILABLE.equals(progressing.getReason())
                && Objects.equals(status.getReplicas(), status.getUpdatedReplicas());
        if (rollout && hasDeadline && !alreadyComplete && newRS != null) {
            DeploymentStatus previous = sync.d.getStatus() == null ? new DeploymentStatus() : sync.d.getStatus();
            if (complete(sync, status)) {
                setCondition(status.getConditions(), condition(PROGRESSING, "True", NEW_RS_AVAILABLE,
                        "ReplicaSet \"" + name(newRS) + "\" has successfully progressed."));
            } else if (progressed(previous, status)) {
                DeploymentCondition updated = condition(PROGRESSING, "True", "ReplicaSetUpdated",
                        "ReplicaSet \"" + name(newRS) + "\" is progressing.");
                if (progressing != null && "True".equals(progressing.getStatus())) {
                    updated.setLastTransitionTime(progressing.getLastTransitionTime());
                }
                status.getConditions().removeIf(c -> PROGRESSING.equals(c.getType()));
                status.getConditions().add(updated);
                result = Result.requeueAfter(Duration.ofSeconds(deadline));
            } else if (timedOut(progressing, deadline)) {
                setCondition(status.getConditions(), condition(PROGRESSING, "False", TIMED_OUT,
                        "ReplicaSet \"" + name(newRS) + "\" has timed out progressing."));
            } else if (progressing != null && !TIMED_OUT.equals(progressing.getReason()) && progressing.getLastUpdateTime() != null) {
                // nothing happens when a rollout stalls: come back when its deadline passes
                Instant due = Instant.parse(progressing.getLastUpdateTime()).plusSeconds(deadline);
                Duration wait = Duration.between(clock.instant(), due);
                result = Result.requeueAfter(wait.isNegative() ? Duration.ZERO : wait.plusSeconds(1));
            }
        }
        if (!Objects.equals(status, sync.d.getStatus())) {
            Deployment copy = clone(sync.d);
            copy.setStatus(status);
            client.resource(copy).subresource("status").update();
        }
        return result;
    }

    private boolean complete(Sync sync, DeploymentStatus status) {
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

    private void checkPausedConditions(Sync sync) {
        DeploymentCondition progressing = condition(sync.conditions, PROGRESSING);
        if (progressing != null && TIMED_OUT.equals(progressing.getReason())) {
            return;
        }
        boolean paused = Boolean.TRUE.equals(sync.d.getSpec().getPaused());
        boolean pausedCondition = progressing != null && PAUSED.equals(progressing.getReason());
        if (paused && !pausedCondition) {
            setCondition(sync.conditions, condition(PROGRESSING, "Unknown", PAUSED, "Deployment is paused"));
        } else if (!paused && pausedCondition) {
            setCondition(sync.conditions, condition(PROGRESSING, "Unknown", RESUMED, "Deployment is resumed"));
        }
    }

    private DeploymentCondition condition(String type, String status, String reason, String message) {
        String now = DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.SECONDS));
        return new DeploymentConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message)
                .withLastUpdateTime(now).withLastTransitionTime(now).build();
    }

    private static @Nullable DeploymentCondition condition(List<DeploymentCondition> conditions, String type) {
        return conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    }

    /** As upstream SetDeploymentCondition: same status and reason is no change; same status keeps the transition time. */
    private static void setCondition(List<DeploymentCondition> conditions, DeploymentCondition condition) {
        DeploymentCondition current = condition(conditions, condition.getType());
        if (current != null && Objects.equals(current.getStatus(), condition.getStatus())
                && Objects.equals(current.getReason(), condition.getReason())) {
            return;
        }
        if (current != null && Objects.equals(current.getStatus(), condition.getStatus())) {
            condition.setLastTransitionTime(current.getLastTransitionTime());
        }
        conditions.removeIf(c -> condition.getType().equals(c.getType()));
        conditions.add(condition);
    }

    // --- parameters -----------------------------------------------------------------------------

    private static String strategyType(Deployment d) {
        return d.getSpec().getStrategy() == null || d.getSpec().getStrategy().getType() == null
                ? "RollingUpdate" : d.getSpec().getStrategy().getType();
    }

    /** maxSurge resolved against replicas; percentages round up. */
    static int maxSurge(Deployment d) {
        if ("Recreate".equals(strategyType(d))) {
            return 0;
        }
        int[] fenceposts = fenceposts(d);
        return fenceposts[0];
    }

    /** maxUnavailable resolved against replicas; percentages round down; never more than replicas. */
    static int maxUnavailable(Deployment d) {
        int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        if ("Recreate".equals(strategyType(d)) || replicas == 0) {
            return 0;
        }
        return Math.min(fenceposts(d)[1], replicas);
    }

    /** As upstream ResolveFenceposts: when both resolve to zero, maxUnavailable becomes 1. */
    private static int[] fenceposts(Deployment d) {
        int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        var rolling = d.getSpec().getStrategy() == null ? null : d.getSpec().getStrategy().getRollingUpdate();
        IntOrString surge = rolling == null || rolling.getMaxSurge() == null ? new IntOrString("25%") : rolling.getMaxSurge();
        IntOrString unavailable = rolling == null || rolling.getMaxUnavailable() == null ? new IntOrString("25%") : rolling.getMaxUnavailable();
        int s = scaled(surge, replicas, true);
        int u = scaled(unavailable, replicas, false);
        if (s == 0 && u == 0) {
            u = 1;
        }
        return new int[] {s, u};
    }

    static int scaled(IntOrString value, int total, boolean roundUp) {
        if (value.getIntVal() != null) {
            return value.getIntVal();
        }
        String text = value.getStrVal();
        if (!text.endsWith("%")) {
            return Integer.parseInt(text);
        }
        double percent = Integer.parseInt(text.substring(0, text.length() - 1)) * total / 100.0;
        return (int) (roundUp ? Math.ceil(percent) : Math.floor(percent));
    }

    private static int minReadySeconds(Deployment d) {
        return d.getSpec().getMinReadySeconds() == null ? 0 : d.getSpec().getMinReadySeconds();
    }

    // --- small readers --------------------------------------------------------------------------

    private static final Comparator<ReplicaSet> BY_CREATION = Comparator
            .comparing((ReplicaSet rs) -> Objects.requireNonNullElse(rs.getMetadata().getCreationTimestamp(), ""))
            .thenComparing(rs -> rs.getMetadata().getName());

    private static int specReplicas(ReplicaSet rs) {
        return rs.getSpec().getReplicas() == null ? 0 : rs.getSpec().getReplicas();
    }

    private static int statusReplicas(ReplicaSet rs) {
        return rs.getStatus() == null ? 0 : orZero(rs.getStatus().getReplicas());
    }

    private static int available(ReplicaSet rs) {
        return rs.getStatus() == null ? 0 : orZero(rs.getStatus().getAvailableReplicas());
    }

    private static int revision(ReplicaSet rs) {
        return parseInt(annotation(rs, REVISION));
    }

    private static int parseInt(@Nullable String value) {
        if (value == null) {
            return 0;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static int orZero(@Nullable Integer value) {
        return value == null ? 0 : value;
    }

    private static @Nullable String annotation(io.fabric8.kubernetes.api.model.HasMetadata object, String name) {
        return object.getMetadata().getAnnotations() == null ? null : object.getMetadata().getAnnotations().get(name);
    }

    private static String name(io.fabric8.kubernetes.api.model.HasMetadata object) {
        return object.getMetadata().getName();
    }

    private static @Nullable String phase(Pod pod) {
        return pod.getStatus() == null ? null : pod.getStatus().getPhase();
    }

    private <T> T clone(T object) {
        return client.getKubernetesSerialization().clone(object);
    }
}
