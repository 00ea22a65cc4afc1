package io.platform.scheduler.scheduling;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.platform.common.reconcile.Controller;
import io.platform.common.reconcile.ObjectKey;
import io.platform.common.reconcile.ReconcileGate;
import io.platform.common.reconcile.SharedInformers;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler's wiring: pending pods of this scheduler are the queue's keys, processed one at a
 * time (so each cycle sees the previous one's assumed pod); a change to any node, or a bound pod
 * going away, moves every pending pod back to the queue, as kube-scheduler's MoveAllToActiveQueue.
 */
public final class Scheduler implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Scheduler.class);

    private final SharedInformers informers;
    private final Controller controller;
    private final ReconcileGate gate = new ReconcileGate();
    private final Duration shutdownTimeout;

    public Scheduler(SharedInformers informers, SchedulingCycle cycle, Duration initialBackoff, Duration maxBackoff,
            Duration shutdownTimeout) {
        this.informers = informers;
        this.shutdownTimeout = shutdownTimeout;
        this.controller = Controller.builder("scheduler", informers)
                .forType(Pod.class, cycle::responsibleFor)
                .watches(Node.class, node -> pending(cycle))
                .watches(Pod.class, pod -> freesResources(pod) ? pending(cycle) : List.of())
                .reconciler(gate.guard(cycle))
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

    /**
     * Stops so that nothing is sent on the client afterwards, which its owner closes next: a running
     * scheduling cycle finishes first, then the worker stops, then the informers once their initial list
     * and watch are under way (fabric8 logs an informer whose first list fails after a stop as an error).
     */
    @Override
    public void close() {
        if (!gate.close(shutdownTimeout)) {
            log.info("scheduler: a scheduling cycle was still running after {}; stopping anyway", shutdownTimeout);
        }
        controller.close();
        informers.close(shutdownTimeout);
    }
}
