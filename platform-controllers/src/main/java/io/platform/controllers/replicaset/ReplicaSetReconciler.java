package io.platform.controllers.replicaset;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.platform.common.events.EventRecorder;
import io.platform.common.reconcile.Controller;
import io.platform.common.reconcile.Expectations;
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
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a ReplicaSet's pods at {@code spec.replicas}, as kube-controller-manager's ReplicaSet
 * controller: creates missing pods from the template in slow-start batches (1, 2, 4, ...), deletes
 * surplus pods least valuable first, never acts while its own creations or deletions are not yet in
 * the cache (expectations), and reports replica counts through the status subresource.
 */
public final class ReplicaSetReconciler implements Reconciler {

    private static final Logger log = LoggerFactory.getLogger(ReplicaSetReconciler.class);
    /** As kube-controller-manager's burstReplicas: at most this many creations or deletions per sync. */
    static final int BURST_REPLICAS = 500;

    private final KubernetesClient client;
    private final SharedInformers informers;
    private final Expectations expectations;
    private final EventRecorder events;
    private final ControllerRefClaims claims;
    private final Clock clock;

    public ReplicaSetReconciler(KubernetesClient client, SharedInformers informers, Expectations expectations,
            EventRecorder events, Clock clock) {
        this.client = client;
        this.informers = informers;
        this.expectations = expectations;
        this.events = events;
        this.claims = new ControllerRefClaims(client);
        this.clock = clock;
    }

    /** The controller: ReplicaSets, the pods they own, and orphan pods their selectors match. */
    public static Controller controller(SharedInformers informers, Reconciler reconciler, Expectations expectations,
            int workers, Duration backoffBase, Duration backoffMax) {
        return Controller.builder("replicaset", informers)
                .forType(ReplicaSet.class)
                .owns(Pod.class)
                .watches(Pod.class, pod -> OwnerReferences.controllerOf(pod).isPresent() ? List.of()
                        : informers.listInNamespace(ReplicaSet.class, pod.getMetadata().getNamespace()).stream()
                                .filter(rs -> LabelSelectors.matches(rs.getSpec().getSelector(), pod.getMetadata().getLabels()))
                                .map(ObjectKey::of).toList())
                .expectations(expectations)
                .reconciler(reconciler)
                .workers(workers)
                .backoff(backoffBase, backoffMax)
                .build();
    }

    @Override
    public Result reconcile(ObjectKey key) {
        ReplicaSet rs = informers.get(ReplicaSet.class, key).orElse(null);
        if (rs == null) {
            expectations.delete(key);
            return Result.done();
        }
        boolean needsSync = expectations.satisfied(key) && rs.getMetadata().getDeletionTimestamp() == null;
        List<Pod> active = informers.listInNamespace(Pod.class, key.namespace()).stream()
                .filter(ReplicaSetReconciler::isActive).toList();
        List<Pod> pods = claims.claim(rs, rs.getSpec().getSelector(), active,
                () -> Optional.ofNullable(client.apps().replicaSets().inNamespace(key.namespace()).withName(key.name()).get()));
        RuntimeException manageError = null;
        if (needsSync) {
            try {
                manageReplicas(key, rs, pods);
            } catch (RuntimeException e) {
                manageError = e;
            }
        }
        ReplicaSetStatus status = calculateStatus(rs, pods);
        if (!Objects.equals(status, rs.getStatus())) {
            ReplicaSet copy = client.getKubernetesSerialization().clone(rs);
            copy.setStatus(status);
            try {
                client.apps().replicaSets().inNamespace(key.namespace()).resource(copy).subresource("status").update();
            } catch (KubernetesClientException e) {
                if (e.getCode() == 404) {
                    // deleted meanwhile; the delete event brings the key back
                    return Result.done();
                }
                throw e;
            }
        }
        if (manageError != null) {
            throw manageError;
        }
        int minReady = minReadySeconds(rs);
        if (minReady > 0 && status.getReadyReplicas() == replicas(rs) && status.getAvailableReplicas() != replicas(rs)) {
            // pods become available minReadySeconds after Ready without any event: look again then
            return Result.requeueAfter(Duration.ofSeconds(minReady));
        }
        return Result.done();
    }

    private void manageReplicas(ObjectKey key, ReplicaSet rs, List<Pod> pods) {
        int diff = pods.size() - replicas(rs);
        if (diff < 0) {
            int wanted = Math.min(-diff, BURST_REPLICAS);
            expectations.expectCreations(key, wanted);
            log.info("replicaset {}: too few replicas, creating {} (want {}, have {})", key, wanted, replicas(rs), pods.size());
            int created = 0;
            int batch = 1;
            while (created < wanted) {
                int size = Math.min(batch, wanted - created);
                KubernetesClientException failure = null;
                for (int i = 0; i < size; i++) {
                    try {
                        Pod pod = client.pods().inNamespace(key.namespace()).resource(newPod(rs)).create();
                        events.normal(rs, "SuccessfulCreate", "Created pod: " + pod.getMetadata().getName());
                        created++;
                    } catch (KubernetesClientException e) {
                        failure = e;
                        events.warning(rs, "FailedCreate", "Error creating: " + e.getMessage());
                    }
                }
                if (failure != null) {
                    // the creations that will never be observed must not hold the expectations up
                    for (int i = created; i < wanted; i++) {
                        expectations.creationObserved(key);
                    }
                    throw failure;
                }
                batch *= 2;
            }
        } else if (diff > 0) {
            int count = Math.min(diff, BURST_REPLICAS);
            List<Pod> victims = pods.stream().sorted(DELETION_ORDER).limit(count).toList();
            expectations.expectDeletions(key, victims.stream().map(ObjectKey::of).toList());
            log.info("replicaset {}: too many replicas, deleting {} (want {}, have {})", key, count, replicas(rs), pods.size());
            KubernetesClientException failure = null;
            for (Pod victim : victims) {
                try {
                    client.pods().inNamespace(key.namespace()).withName(victim.getMetadata().getName()).delete();
                    events.normal(rs, "SuccessfulDelete", "Deleted pod: " + victim.getMetadata().getName());
                } catch (KubernetesClientException e) {
                    expectations.deletionObserved(key, ObjectKey.of(victim));
                    if (e.getCode() != 404) {
                        failure = e;
                        events.warning(rs, "FailedDelete", "Error deleting: " + e.getMessage());
                    }
                }
            }
            if (failure != null) {
                throw failure;
            }
        }
    }

    private Pod newPod(ReplicaSet rs) {
        var template = client.getKubernetesSerialization().clone(rs.getSpec().getTemplate());
        Map<String, String> labels = template.getMetadata() == null ? null : template.getMetadata().getLabels();
        Map<String, String> annotations = template.getMetadata() == null ? null : template.getMetadata().getAnnotations();
        return new PodBuilder()
                .withNewMetadata()
                .withGenerateName(rs.getMetadata().getName() + "-")
                .withNamespace(rs.getMetadata().getNamespace())
                .withLabels(labels)
                .withAnnotations(annotations)
                .withOwnerReferences(OwnerReferences.controllerReference(rs))
                .endMetadata()
                .withSpec(template.getSpec())
                .build();
    }

    private ReplicaSetStatus calculateStatus(ReplicaSet rs, List<Pod> pods) {
        Map<String, String> templateLabels = rs.getSpec().getTemplate() == null || rs.getSpec().getTemplate().getMetadata() == null
                ? Map.of() : rs.getSpec().getTemplate().getMetadata().getLabels();
        int fullyLabeled = 0;
        int ready = 0;
        int available = 0;
        Instant now = clock.instant();
        for (Pod pod : pods) {
            if (LabelSelectors.containsAll(templateLabels, pod.getMetadata().getLabels())) {
                fullyLabeled++;
            }
            PodCondition readyCondition = readyCondition(pod);
            if (readyCondition != null) {
                ready++;
                if (availableSince(readyCondition, minReadySeconds(rs), now)) {
                    available++;
                }
            }
        }
        ReplicaSetStatusBuilder builder = rs.getStatus() == null ? new ReplicaSetStatusBuilder() : new ReplicaSetStatusBuilder(rs.getStatus());
        return builder.withReplicas(pods.size())
                .withFullyLabeledReplicas(fullyLabeled)
                .withReadyReplicas(ready)
                .withAvailableReplicas(available)
                .withObservedGeneration(rs.getMetadata().getGeneration())
                .build();
    }

    private static boolean availableSince(PodCondition ready, int minReadySeconds, Instant now) {
        if (minReadySeconds <= 0) {
            return true;
        }
        if (ready.getLastTransitionTime() == null) {
            return false;
        }
        Instant since = Instant.parse(ready.getLastTransitionTime());
        return !since.plusSeconds(minReadySeconds).isAfter(now);
    }

    private static @Nullable PodCondition readyCondition(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return null;
        }
        return pod.getStatus().getConditions().stream()
                .filter(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())).findFirst().orElse(null);
    }

    static boolean isActive(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return !"Succeeded".equals(phase) && !"Failed".equals(phase) && pod.getMetadata().getDeletionTimestamp() == null;
    }

    private static int replicas(ReplicaSet rs) {
        return rs.getSpec().getReplicas() == null ? 1 : rs.getSpec().getReplicas();
    }

    private static int minReadySeconds(ReplicaSet rs) {
        return rs.getSpec().getMinReadySeconds() == null ? 0 : rs.getSpec().getMinReadySeconds();
    }

    /**
     * Which pods to delete first, as kube-controller-manager's ActivePods ordering: unscheduled before
     * scheduled, Pending before Unknown before Running, not ready before ready, more restarts first,
     * newer before older.
     */
    static final Comparator<Pod> DELETION_ORDER = Comparator
            .comparing((Pod pod) -> isBlank(pod.getSpec().getNodeName()) ? 0 : 1)
            .thenComparing(pod -> phaseRank(pod.getStatus() == null ? null : pod.getStatus().getPhase()))
            .thenComparing(pod -> readyCondition(pod) == null ? 0 : 1)
            .thenComparing(ReplicaSetReconciler::restarts, Comparator.reverseOrder())
            .thenComparing(pod -> Objects.requireNonNullElse(pod.getMetadata().getCreationTimestamp(), ""), Comparator.reverseOrder());

    private static int phaseRank(@Nullable String phase) {
        if ("Pending".equals(phase) || phase == null) {
            return 0;
        }
        return "Running".equals(phase) ? 2 : 1;
    }

    private static int restarts(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
            return 0;
        }
        return pod.getStatus().getContainerStatuses().stream().mapToInt(status -> status.getRestartCount() == null ? 0 : status.getRestartCount()).sum();
    }

    private static boolean isBlank(@Nullable String value) {
        return value == null || value.isEmpty();
    }
}
