package io.platform.agent.probe;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Probe;
import io.platform.agent.probe.ProbeType.ProbeResult;
import io.platform.agent.runtime.ContainerInstance;
import io.platform.agent.runtime.ContainerRuntime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kubelet's prober for this node's pods: one worker per running container instance and probe
 * (liveness, readiness, startup), ticking every {@code periodSeconds} on one scheduler thread and
 * probing on virtual threads, so thousands of probes cost no platform threads. Results are kept by
 * container id, so a new instance of a container starts over; every change is logged once and
 * reported to {@code podChanged} with the pod's uid.
 *
 * <p>Ids of instances this never saw running with a probe count as having no probes: ready and
 * started, never unhealthy.
 */
public final class PodProbes implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PodProbes.class);

    private final Clock clock;
    private final Consumer<String> podChanged;
    private final HttpGetHandler httpGet;
    private final TcpSocketHandler tcpSocket;
    private final ExecHandler exec;
    private final ScheduledExecutorService ticks;
    private final ExecutorService probes;
    private final Map<String, ContainerProbes> instances = new ConcurrentHashMap<>();

    public PodProbes(ContainerRuntime runtime, Clock clock, Consumer<String> podChanged) {
        this.clock = clock;
        this.podChanged = podChanged;
        this.httpGet = new HttpGetHandler(runtime, clock);
        this.tcpSocket = new TcpSocketHandler(runtime);
        this.exec = new ExecHandler(runtime);
        this.ticks = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("probe-ticks").daemon().factory());
        this.probes = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("probe-", 0).factory());
    }

    /** Starts/keeps probe workers for the pod's running instances, stops those of instances gone. */
    public synchronized void update(Pod pod, List<ContainerInstance> instances) {
        String uid = pod.getMetadata().getUid();
        String key = pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
        boolean terminating = pod.getMetadata().getDeletionTimestamp() != null;
        ContainerInstance sandbox = instances.stream()
                .filter(instance -> instance.isSandbox() && instance.running())
                .findFirst()
                .orElse(null);
        Set<String> probed = new HashSet<>();
        for (ContainerInstance instance : instances) {
            if (instance.isSandbox() || !instance.running()) {
                continue;
            }
            Container container = ContainerPorts.find(pod, instance.name());
            if (container == null || !hasProbes(container)) {
                continue;
            }
            probed.add(instance.id());
            ContainerProbes probes = this.instances.get(instance.id());
            if (probes == null) {
                probes = start(uid, key, container, instance);
            }
            probes.sandbox(sandbox);
            probes.terminating(terminating);
        }
        List<ContainerProbes> gone = this.instances.values().stream()
                .filter(probes -> probes.podUid().equals(uid) && !probed.contains(probes.containerId()))
                .toList();
        gone.forEach(this::stop);
    }

    /** Stops every probe of the pod: it was deleted or left this node. */
    public synchronized void forget(String podUid) {
        List<ContainerProbes> gone = instances.values().stream().filter(probes -> probes.podUid().equals(podUid)).toList();
        gone.forEach(this::stop);
    }

    /** No readiness probe: true; else the latest result (false until the first success). */
    public boolean ready(String containerId) {
        ContainerProbes probes = instances.get(containerId);
        return probes == null || probes.ready();
    }

    /** No startup probe: true; else whether it has succeeded. */
    public boolean started(String containerId) {
        ContainerProbes probes = instances.get(containerId);
        return probes == null || probes.started();
    }

    /** Why this instance must be restarted (liveness or startup probe failed failureThreshold times), or null. */
    public @Nullable String unhealthy(String containerId) {
        ContainerProbes probes = instances.get(containerId);
        return probes == null ? null : probes.unhealthy();
    }

    /**
     * Why a probe of this instance now fails, as the kubelet's {@code Unhealthy} event says it
     * ({@code Readiness probe failed: HTTP probe failed with statuscode: 500}), or null.
     */
    public @Nullable String failure(String containerId) {
        ContainerProbes probes = instances.get(containerId);
        return probes == null ? null : probes.failure();
    }

    @Override
    public synchronized void close() {
        List.copyOf(instances.values()).forEach(this::stop);
        ticks.shutdownNow();
        probes.shutdownNow();
    }

    private static boolean hasProbes(Container container) {
        for (ProbeType type : ProbeType.values()) {
            if (type.of(container) != null) {
                return true;
            }
        }
        return false;
    }

    private ContainerProbes start(String uid, String key, Container container, ContainerInstance instance) {
        List<ProbeWorker> workers = new ArrayList<>();
        for (ProbeType type : ProbeType.values()) {
            Probe probe = type.of(container);
            if (probe == null) {
                continue;
            }
            if (probe.getGrpc() != null) {
                log.warn("Pod {} container {}: grpc probes are not supported by this node agent; its {} probe never succeeds or fails",
                        key, container.getName(), type.lowerCase());
            }
            workers.add(new ProbeWorker(type, probe, (sandbox, timeout) -> check(probe, container, instance, sandbox, timeout)));
        }
        Instant startedAt = instance.startedAt() != null ? instance.startedAt() : clock.instant();
        ContainerProbes probes = new ContainerProbes(uid, key, container.getName(), instance.id(), startedAt, workers);
        instances.put(instance.id(), probes);
        for (ProbeWorker worker : workers) {
            // the first tick at once, then every period; the initial delay is a gate on the injected clock, as the kubelet's
            long period = worker.period().toMillis();
            probes.scheduled(ticks.scheduleAtFixedRate(() -> trigger(probes, worker), 0, period, TimeUnit.MILLISECONDS));
        }
        return probes;
    }

    private void stop(ContainerProbes probes) {
        probes.cancel();
        instances.remove(probes.containerId(), probes);
    }

    private void trigger(ContainerProbes probes, ProbeWorker worker) {
        if (!worker.begin()) {
            return;
        }
        try {
            this.probes.execute(() -> {
                try {
                    probeOnce(probes, worker);
                } finally {
                    worker.end();
                }
            });
        } catch (RejectedExecutionException e) {
            worker.end();
        }
    }

    /** One tick of one worker: probe if due, record, report a change. */
    void probeOnce(ContainerProbes probes, ProbeWorker worker) {
        if (instances.get(probes.containerId()) != probes) {
            return;
        }
        ProbeType type = worker.type();
        boolean changed;
        if (probes.terminating() && type != ProbeType.READINESS) {
            // as the kubelet: a terminating pod's containers are not restarted for failing probes
            changed = !worker.onHold() && worker.force(ProbeResult.SUCCESS);
        } else if (!probes.due(type, clock.instant())) {
            return;
        } else {
            HandlerResult result;
            try {
                result = worker.check(probes.sandbox());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (result.outcome() == HandlerResult.Outcome.ERROR) {
                log.debug("Pod {} container {}: {} probe errored: {}", probes.podKey(), probes.containerName(),
                        type.lowerCase(), result.output());
            }
            changed = worker.record(result);
        }
        if (!changed || instances.get(probes.containerId()) != probes) {
            return;
        }
        report(probes, worker);
        podChanged.accept(probes.podUid());
        if (type == ProbeType.STARTUP && worker.result() == ProbeResult.SUCCESS) {
            // as the kubelet: readiness and liveness probe right after the startup probe succeeds
            for (ProbeWorker other : probes.workers()) {
                if (other != worker) {
                    trigger(probes, other);
                }
            }
        }
    }

    private void report(ContainerProbes probes, ProbeWorker worker) {
        String probe = worker.type().lowerCase();
        if (worker.result() == ProbeResult.SUCCESS) {
            log.info("Pod {} container {}: {} probe succeeded", probes.podKey(), probes.containerName(), probe);
        } else if (worker.type() == ProbeType.READINESS) {
            log.info("Pod {} container {}: {} probe failed: {}", probes.podKey(), probes.containerName(), probe,
                    worker.lastFailure());
        } else {
            log.info("Pod {} container {}: {} probe failed: {}; {}", probes.podKey(), probes.containerName(), probe,
                    worker.lastFailure(), probes.unhealthy());
        }
    }

    private HandlerResult check(Probe probe, Container container, ContainerInstance instance,
            @Nullable ContainerInstance sandbox, Duration timeout) throws InterruptedException {
        if (probe.getExec() != null) {
            List<String> command = probe.getExec().getCommand() == null ? List.of() : probe.getExec().getCommand();
            return exec.probe(instance.id(), command, timeout);
        }
        if (probe.getHttpGet() != null) {
            return httpGet.probe(probe.getHttpGet(), container, sandbox, timeout);
        }
        if (probe.getTcpSocket() != null) {
            return tcpSocket.probe(probe.getTcpSocket(), container, sandbox, timeout);
        }
        return HandlerResult.error("no supported probe handler (exec, httpGet, tcpSocket)");
    }
}
