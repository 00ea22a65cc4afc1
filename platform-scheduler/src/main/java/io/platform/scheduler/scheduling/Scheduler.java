package io.platform.scheduler.scheduling;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.platform.common.reconcile.Controller;
import io.platform.common.reconcile.ObjectKey;
import io.platform.common.reconcile.SharedInformers;
import java.time.Duration;
import java.util.List;

/**
 * The scheduler's wiring: pending pods of this scheduler are the queue's keys, processed one at a
 * time (so each cycle sees the previous one's assumed pod); a change to any node, or a bound pod
 * going away, moves every pending pod back to the queue, as kube-scheduler's MoveAllToActiveQueue.
 */
public final class Scheduler implements AutoCloseable {

    private final SharedInformers informers;
    private final Controller controller;

    public Scheduler(SharedInformers informers, SchedulingCycle cycle, Duration initialBackoff, Duration maxBackoff) {
        this.informers = informers;
        this.controller = Controller.builder("scheduler", informers)
                .forType(Pod.class, cycle::responsibleFor)
                .watches(Node.class, node -> pending(cycle))
                .watches(Pod.class, pod -> freesResources(pod) ? pending(cycle) : List.of())
                .reconciler(cycle)
                .workers(1)
                .backoff(initialBackoff, maxBackoff)
                .build();
    }

    private List<ObjectKey> pending(SchedulingCycle cycle) {
        return informers.list(Pod.class).stream().filter(cycle::responsibleFor).map(ObjectKey::of).toList();
    }

    private static boolean freesResources(Pod pod) {
        String nodeName = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return nodeName != null && !nodeName.isEmpty()
                && (pod.getMetadata().getDeletionTimestamp() != null || "Succeeded".equals(phase) || "Failed".equals(phase));
    }

    public void start() {
        controller.start();
        informers.start();
    }

    public boolean hasSynced() {
        return controller.hasSynced();
    }

    @Override
    public void close() {
        controller.close();
        informers.close();
    }
}
