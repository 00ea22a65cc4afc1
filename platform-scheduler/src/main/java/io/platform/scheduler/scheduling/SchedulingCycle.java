package io.platform.scheduler.scheduling;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.platform.common.events.EventRecorder;
import io.platform.common.reconcile.ObjectKey;
import io.platform.common.reconcile.Reconciler;
import io.platform.common.reconcile.Result;
import io.platform.common.reconcile.SharedInformers;
import io.platform.common.resources.ResourceQuantities;
import io.platform.common.resources.ResourceQuantities.Amounts;
import io.platform.scheduler.framework.FilterPlugin;
import io.platform.scheduler.framework.NodeInfo;
import io.platform.scheduler.framework.ScorePlugin;
import io.platform.scheduler.framework.Status;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Schedules one pending pod per call: filters every node, scores the feasible ones, assumes the pod
 * on the best node and binds it. A pod that fits nowhere gets {@code PodScheduled=False} with reason
 * {@code Unschedulable}, a FailedScheduling event, and is retried with back-off.
 */
public final class SchedulingCycle implements Reconciler {

    private static final Logger log = LoggerFactory.getLogger(SchedulingCycle.class);

    private final KubernetesClient client;
    private final SharedInformers informers;
    private final EventRecorder events;
    private final Binder binder;
    private final List<FilterPlugin> filters;
    private final List<ScorePlugin> scorers;
    private final String schedulerName;
    private final Clock clock;
    // pods bound by us that the informer has not yet shown as bound, by uid, so their requests count at once
    private final Map<String, Assumed> assumed = new ConcurrentHashMap<>();

    private record Assumed(String nodeName, Amounts requests) {}

    public SchedulingCycle(KubernetesClient client, SharedInformers informers, EventRecorder events, Binder binder,
            List<FilterPlugin> filters, List<ScorePlugin> scorers, String schedulerName, Clock clock) {
        this.client = client;
        this.informers = informers;
        this.events = events;
        this.binder = binder;
        this.filters = List.copyOf(filters);
        this.scorers = List.copyOf(scorers);
        this.schedulerName = schedulerName;
        this.clock = clock;
    }

    /** Whether the pod is this scheduler's to place: not bound, not terminating, asking for this scheduler. */
    public boolean responsibleFor(Pod pod) {
        String wanted = pod.getSpec() == null || pod.getSpec().getSchedulerName() == null
                ? "default-scheduler" : pod.getSpec().getSchedulerName();
        return pod.getSpec() != null && isBlank(pod.getSpec().getNodeName())
                && pod.getMetadata().getDeletionTimestamp() == null
                && schedulerName.equals(wanted)
                && !terminal(pod);
    }

    @Override
    public Result reconcile(ObjectKey key) {
        Pod pod = informers.get(Pod.class, key).orElse(null);
        if (pod == null || !responsibleFor(pod)) {
            return Result.done();
        }
        if (assumed.containsKey(pod.getMetadata().getUid())) {
            // bound already; the informer has not caught up yet
            return Result.done();
        }
        List<NodeInfo> nodes = snapshot();
        List<NodeInfo> feasible = new ArrayList<>();
        Map<String, Integer> reasons = new TreeMap<>();
        for (NodeInfo node : nodes) {
            Status status = runFilters(pod, node);
            if (status.isSuccess()) {
                feasible.add(node);
            } else {
                status.reasons().forEach(reason -> reasons.merge(reason, 1, Integer::sum));
            }
        }
        if (feasible.isEmpty()) {
            return unschedulable(pod, fitError(nodes.size(), reasons));
        }
        NodeInfo chosen = feasible.stream().max(Comparator.comparingLong((NodeInfo n) -> score(pod, n))
                .thenComparing(NodeInfo::podCount, Comparator.reverseOrder())
                .thenComparing(NodeInfo::name, Comparator.reverseOrder())).orElseThrow();
        String uid = pod.getMetadata().getUid();
        assumed.put(uid, new Assumed(chosen.name(), ResourceQuantities.podRequests(pod)));
        try {
            binder.bind(pod, chosen.name());
        } catch (KubernetesClientException e) {
            assumed.remove(uid);
            throw e;
        }
        log.info("bound {} to {}", key, chosen.name());
        events.normal(pod, "Scheduled", "Successfully assigned " + key + " to " + chosen.name());
        return Result.done();
    }

    private Status runFilters(Pod pod, NodeInfo node) {
        for (FilterPlugin filter : filters) {
            Status status;
            try {
                status = filter.filter(pod, node);
            } catch (RuntimeException e) {
                status = Status.error(filter.name() + ": " + e.getMessage());
            }
            if (!status.isSuccess()) {
                return status;
            }
        }
        return Status.success();
    }

    private long score(Pod pod, NodeInfo node) {
        return scorers.stream().mapToLong(scorer -> scorer.score(pod, node)).sum();
    }

    /** As kube-scheduler's FitError: {@code 0/3 nodes are available: 1 Insufficient cpu, 2 node(s) were unschedulable.} */
    static String fitError(int nodeCount, Map<String, Integer> reasons) {
        if (nodeCount == 0) {
            return "no nodes available to schedule pods";
        }
        List<String> parts = new ArrayList<>();
        reasons.forEach((reason, count) -> parts.add(count + " " + reason));
        parts.sort(null);
        return "0/" + nodeCount + " nodes are available: " + String.join(", ", parts) + ".";
    }

    private Result unschedulable(Pod pod, String message) {
        ObjectKey key = ObjectKey.of(pod);
        PodCondition current = condition(pod);
        if (current == null || !"False".equals(current.getStatus()) || !"Unschedulable".equals(current.getReason())
                || !message.equals(current.getMessage())) {
            log.info("{} is unschedulable: {}", key, message);
            writeCondition(pod, message, current);
        }
        events.warning(pod, "FailedScheduling", message);
        return Result.requeue();
    }

    private void writeCondition(Pod pod, String message, @Nullable PodCondition current) {
        String now = DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.SECONDS));
        PodCondition condition = new PodConditionBuilder()
                .withType("PodScheduled").withStatus("False").withReason("Unschedulable").withMessage(message)
                .withLastProbeTime(null)
                .withLastTransitionTime(current != null && "False".equals(current.getStatus()) ? current.getLastTransitionTime() : now)
                .build();
        Pod updated = new PodBuilder(pod).editOrNewStatus().withPhase(pod.getStatus() == null ? "Pending" : pod.getStatus().getPhase())
                .endStatus().build();
        List<PodCondition> conditions = new ArrayList<>(updated.getStatus().getConditions() == null ? List.of() : updated.getStatus().getConditions());
        conditions.removeIf(c -> "PodScheduled".equals(c.getType()));
        conditions.add(condition);
        updated.getStatus().setConditions(conditions);
        if (updated.getStatus().getPhase() == null) {
            updated.getStatus().setPhase("Pending");
        }
        client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(updated).subresource("status").update();
    }

    private static @Nullable PodCondition condition(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return null;
        }
        return pod.getStatus().getConditions().stream().filter(c -> "PodScheduled".equals(c.getType())).findFirst().orElse(null);
    }

    /** Every node with what its bound and assumed pods request. */
    List<NodeInfo> snapshot() {
        Map<String, Amounts> requested = new HashMap<>();
        Map<String, Integer> counts = new HashMap<>();
        Map<String, Boolean> seen = new HashMap<>();
        for (Pod pod : informers.list(Pod.class)) {
            String uid = pod.getMetadata().getUid();
            String nodeName = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
            if (!isBlank(nodeName)) {
                assumed.remove(uid);
            } else {
                Assumed a = assumed.get(uid);
                nodeName = a == null ? null : a.nodeName();
            }
            if (uid != null) {
                seen.put(uid, true);
            }
            if (isBlank(nodeName) || terminal(pod)) {
                continue;
            }
            requested.merge(nodeName, ResourceQuantities.podRequests(pod), Amounts::plus);
            counts.merge(nodeName, 1, Integer::sum);
        }
        assumed.keySet().removeIf(uid -> !seen.containsKey(uid));
        List<NodeInfo> nodes = new ArrayList<>();
        for (Node node : informers.list(Node.class)) {
            String name = node.getMetadata().getName();
            nodes.add(new NodeInfo(node, requested.getOrDefault(name, Amounts.ZERO), counts.getOrDefault(name, 0)));
        }
        nodes.sort(Comparator.comparing(NodeInfo::name));
        return nodes;
    }

    private static boolean terminal(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }

    private static boolean isBlank(String value) {
        return value == null || value.isEmpty();
    }
}
