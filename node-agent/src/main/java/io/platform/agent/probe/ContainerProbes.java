package io.platform.agent.probe;

import io.platform.agent.probe.ProbeType.ProbeResult;
import io.platform.agent.runtime.ContainerInstance;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.jspecify.annotations.Nullable;

/**
 * The probes of one running container instance and the gates the kubelet puts before each probe:
 * the initial delay counted from the instance's start, startup first, then liveness and readiness.
 */
final class ContainerProbes {

    private final String podUid;
    private final String podKey;
    private final String containerName;
    private final String containerId;
    private final Instant startedAt;
    private final Map<ProbeType, ProbeWorker> workers;
    private final List<Future<?>> schedules = new ArrayList<>();
    private volatile boolean terminating;
    private volatile @Nullable ContainerInstance sandbox;

    ContainerProbes(String podUid, String podKey, String containerName, String containerId, Instant startedAt,
            Collection<ProbeWorker> workers) {
        this.podUid = podUid;
        this.podKey = podKey;
        this.containerName = containerName;
        this.containerId = containerId;
        this.startedAt = startedAt;
        this.workers = new EnumMap<>(ProbeType.class);
        workers.forEach(worker -> this.workers.put(worker.type(), worker));
    }

    String podUid() {
        return podUid;
    }

    String podKey() {
        return podKey;
    }

    String containerName() {
        return containerName;
    }

    String containerId() {
        return containerId;
    }

    Collection<ProbeWorker> workers() {
        return workers.values();
    }

    @Nullable ProbeWorker worker(ProbeType type) {
        return workers.get(type);
    }

    /** The pod's sandbox as last seen: where httpGet and tcpSocket probes find the pod's address. */
    @Nullable ContainerInstance sandbox() {
        return sandbox;
    }

    void sandbox(@Nullable ContainerInstance sandbox) {
        this.sandbox = sandbox;
    }

    boolean terminating() {
        return terminating;
    }

    void terminating(boolean terminating) {
        this.terminating = terminating;
    }

    synchronized void scheduled(Future<?> schedule) {
        schedules.add(schedule);
    }

    synchronized void cancel() {
        schedules.forEach(schedule -> schedule.cancel(false));
        schedules.clear();
    }

    /** No startup probe, or it has succeeded. */
    boolean started() {
        ProbeWorker startup = workers.get(ProbeType.STARTUP);
        return startup == null || startup.result() == ProbeResult.SUCCESS;
    }

    /** No readiness probe, or its latest result is a success. */
    boolean ready() {
        ProbeWorker readiness = workers.get(ProbeType.READINESS);
        return readiness == null || readiness.result() == ProbeResult.SUCCESS;
    }

    /** The kubelet's reason for killing the container, when its liveness or startup probe failed. */
    @Nullable String unhealthy() {
        for (ProbeType type : List.of(ProbeType.STARTUP, ProbeType.LIVENESS)) {
            ProbeWorker worker = workers.get(type);
            if (worker != null && worker.result() == ProbeResult.FAILURE) {
                return "Container " + containerName + " failed " + type.lowerCase() + " probe, will be restarted";
            }
        }
        return null;
    }

    /** Why the probe now failing failed, as the kubelet's Unhealthy event: {@code Liveness probe failed: ...}. */
    @Nullable String failure() {
        for (ProbeType type : List.of(ProbeType.STARTUP, ProbeType.LIVENESS, ProbeType.READINESS)) {
            ProbeWorker worker = workers.get(type);
            if (worker != null && worker.result() == ProbeResult.FAILURE) {
                return type.title() + " probe failed: " + worker.lastFailure();
            }
        }
        return null;
    }

    /**
     * Whether {@code type} probes at {@code now}, as the kubelet's worker decides: not while on hold,
     * not before the initial delay, the startup probe only until it succeeds, the others only after.
     */
    boolean due(ProbeType type, Instant now) {
        ProbeWorker worker = workers.get(type);
        if (worker == null || worker.onHold() || now.isBefore(startedAt.plus(worker.initialDelay()))) {
            return false;
        }
        return type == ProbeType.STARTUP ? !started() : started();
    }
}
