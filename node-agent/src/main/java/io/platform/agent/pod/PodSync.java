package io.platform.agent.pod;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.platform.agent.AgentProperties;
import io.platform.agent.probe.LifecycleHooks;
import io.platform.agent.probe.PodProbes;
import io.platform.agent.runtime.ContainerInstance;
import io.platform.agent.runtime.ContainerLaunch;
import io.platform.agent.runtime.ContainerRuntime;
import io.platform.agent.runtime.ContainerStartException;
import io.platform.agent.volume.PodVolumes;
import io.platform.common.events.EventRecorder;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives one pod toward its spec (level-based: read the runtime, act, report), as the kubelet's
 * {@code SyncPod}: sandbox first, then init containers one after the other (native sidecars, init
 * containers with {@code restartPolicy: Always}, start and keep running), then the app containers
 * by restart policy and image pull policy, then ephemeral containers, then the status when it
 * changed. Probes kill unhealthy instances; postStart and preStop hooks run around starts and
 * stops. Graceful deletion stops app containers, then sidecars in reverse order, and ends with the
 * pod deleted with grace 0.
 */
final class PodSync {

    private static final Logger log = LoggerFactory.getLogger(PodSync.class);

    private final KubernetesClient client;
    private final ContainerRuntime runtime;
    private final ContainerEnvironment environment;
    private final PodVolumes volumes;
    private final PodProbes probes;
    private final LifecycleHooks hooks;
    private final ContainerStops stops;
    private final EventRecorder events;
    private final TerminationMessages messages;
    private final AgentProperties properties;
    private final Clock clock;
    private final BackOff restartBackOff;
    private final ImagePulls images;
    /** Why a container is waiting when the runtime has nothing to say, by pod uid then container. */
    private final Map<String, Map<String, ContainerStateWaiting>> waiting = new ConcurrentHashMap<>();
    /** The last volume failure per pod uid, logged once. */
    private final Map<String, String> mountErrors = new ConcurrentHashMap<>();

    PodSync(KubernetesClient client, ContainerRuntime runtime, PodProbes probes, LifecycleHooks hooks,
            EventRecorder events, AgentProperties properties, Clock clock, ContainerEnvironment.Services services) {
        this.client = client;
        this.runtime = runtime;
        this.environment = new ContainerEnvironment(client, services);
        this.volumes = new PodVolumes(client, properties.rootDir(), clock);
        this.probes = probes;
        this.hooks = hooks;
        this.stops = new ContainerStops(runtime, hooks, events, clock);
        this.events = events;
        this.messages = new TerminationMessages(properties.rootDir(), runtime);
        this.properties = properties;
        this.clock = clock;
        this.restartBackOff = new BackOff(properties.restartBackOff(), clock);
        this.images = new ImagePulls(client, runtime, properties, clock);
    }

    /** What one sync of one pod works with. */
    private record PodContext(Pod pod, String key, ContainerInstance sandbox, Map<String, ContainerStateWaiting> waiting,
            Requeue requeue, Map<String, Path> volumeDirs) {

        String uid() {
            return pod.getMetadata().getUid();
        }
    }

    /** Syncs the pod with {@code uid} ({@code pod} null when it is gone); returns when to sync again. */
    @Nullable Duration sync(String uid, @Nullable Pod pod) throws InterruptedException {
        List<ContainerInstance> containers = runtime.podContainers(uid);
        if (pod == null) {
            if (!containers.isEmpty()) {
                containers.forEach(c -> runtime.remove(c.id()));
                log.info("Removed {} containers of deleted pod {}", containers.size(), uid);
            }
            forget(uid);
            return null;
        }
        String key = pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            terminate(pod, key, containers);
            return null;
        }
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
            // as the kubelet: a pod in a terminal phase never runs again
            probes.forget(uid);
            return null;
        }
        Requeue requeue = new Requeue();
        Map<String, ContainerStateWaiting> podWaiting = waiting.computeIfAbsent(uid, u -> new ConcurrentHashMap<>());
        // volumes first, as the kubelet mounts them before anything starts; every sync rewrites what changed (tokens)
        Map<String, Path> volumeDirs = setUpVolumes(pod, key, requeue);
        if (volumeDirs == null) {
            String message = Objects.requireNonNull(mountErrors.get(uid));
            for (Container spec : allContainers(pod)) {
                boolean running = containers.stream().anyMatch(c -> !c.isSandbox() && c.name().equals(spec.getName()) && c.running());
                if (!running) {
                    podWaiting.put(spec.getName(), new ContainerStateWaiting(message, "ContainerCreating"));
                }
            }
        } else {
            String exceeded = volumes.exceeded(pod);
            if (exceeded != null) {
                evict(pod, key, containers, exceeded);
                return null;
            }
            ContainerInstance sandbox = containers.stream().filter(c -> c.isSandbox() && c.running()).findFirst().orElse(null);
            if (sandbox == null) {
                sandbox = replaceSandbox(pod, key, containers);
                containers = runtime.podContainers(uid);
            }
            PodContext context = new PodContext(pod, key, sandbox, podWaiting, requeue, volumeDirs);
            probes.update(pod, containers);
            if (killUnhealthy(context, containers)) {
                containers = runtime.podContainers(uid);
            }
            boolean appsDone = appContainersDone(pod, containers);
            if (syncInitContainers(context, containers, appsDone)) {
                if (appsDone) {
                    stopSidecars(context, containers);
                } else {
                    for (Container spec : pod.getSpec().getContainers()) {
                        syncContainer(context, spec, instancesOf(containers, spec.getName()), restartPolicy(pod));
                    }
                }
                syncEphemeralContainers(context, containers);
            }
        }
        containers = runtime.podContainers(uid);
        probes.update(pod, containers);
        PodStatus status = PodStatusReport.compute(pod, containers, podWaiting, facts(pod), runtime.name(),
                properties.address(), clock.instant());
        if (!Objects.equals(status, pod.getStatus())) {
            writeStatus(pod, key, status, requeue);
        }
        return requeue.delay();
    }

    /** Writes the pod's volumes; null (the reason kept in {@link #mountErrors}) when one could not be written. */
    private @Nullable Map<String, Path> setUpVolumes(Pod pod, String key, Requeue requeue) {
        String uid = pod.getMetadata().getUid();
        try {
            Map<String, Path> dirs = volumes.setUp(pod);
            mountErrors.remove(uid);
            return dirs;
        } catch (PodVolumes.VolumeException e) {
            requeue.after(properties.retryInterval());
            if (!e.getMessage().equals(mountErrors.put(uid, e.getMessage()))) {
                log.info("Pod {}: {}", key, e.getMessage());
            }
            return null;
        }
    }

    /** Directories of local-path volumes whose PersistentVolume was deleted (reclaim policy Delete). */
    void removeReleasedLocalPaths() {
        volumes.removeReleasedLocalPaths();
    }

    /** Pods with volume directories on this node. */
    Set<String> podsWithVolumes() {
        return volumes.podsWithVolumes();
    }

    void forget(String uid) {
        probes.forget(uid);
        volumes.tearDown(uid);
        messages.forget(uid);
        mountErrors.remove(uid);
        waiting.remove(uid);
        restartBackOff.forgetPrefix(uid + "/");
        images.forget(uid);
    }

    private PodStatusReport.ContainerFacts facts(Pod pod) {
        return new PodStatusReport.ContainerFacts() {
            @Override
            public boolean ready(String containerId) {
                return probes.ready(containerId);
            }

            @Override
            public boolean started(String containerId) {
                return probes.started(containerId);
            }

            @Override
            public @Nullable String terminationMessage(ContainerInstance instance) {
                return messages.message(pod, spec(pod, instance.name()), instance);
            }
        };
    }

    private ContainerInstance replaceSandbox(Pod pod, String key, List<ContainerInstance> containers) {
        int attempt = 0;
        for (ContainerInstance old : containers) {
            if (old.isSandbox()) {
                attempt = Math.max(attempt, old.attempt() + 1);
                runtime.remove(old.id());
            } else if (old.running()) {
                // its network namespace died with the old sandbox: the kubelet kills and restarts such containers
                runtime.stop(old.id(), Duration.ZERO);
            }
        }
        String id = runtime.startSandbox(pod, attempt);
        log.info("Pod {}: started sandbox {}", key, shortId(id));
        return runtime.podContainers(pod.getMetadata().getUid()).stream()
                .filter(c -> c.id().equals(id))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("sandbox " + id + " vanished after start"));
    }

    /** Kills instances whose liveness or startup probe failed, so the restart policy restarts them; true when one was. */
    private boolean killUnhealthy(PodContext context, List<ContainerInstance> containers) throws InterruptedException {
        boolean killed = false;
        for (ContainerInstance instance : containers) {
            if (instance.isSandbox() || !instance.running()) {
                continue;
            }
            String reason = probes.unhealthy(instance.id());
            Container spec = spec(context.pod(), instance.name());
            if (reason == null || spec == null) {
                continue;
            }
            log.info("Pod {}: killing container {}: {}", context.key(), instance.name(), reason);
            events.normal(context.pod(), "Killing", reason);
            stops.kill(context.pod(), context.key(), spec, instance, context.sandbox(), ContainerStops.probeGrace(context.pod(), spec));
            killed = true;
        }
        return killed;
    }

    /**
     * Runs init containers in order, each to success before the next; sidecars are started and count as done once
     * started (their startup probe passed). Returns whether the pod is initialized.
     */
    private boolean syncInitContainers(PodContext context, List<ContainerInstance> containers, boolean appsDone)
            throws InterruptedException {
        Pod pod = context.pod();
        // a regular container that ran means the pod was initialized before (the kubelet's HasAnyRegularContainerStarted)
        boolean appStarted = pod.getSpec().getContainers().stream()
                .anyMatch(spec -> !instancesOf(containers, spec.getName()).isEmpty());
        for (Container init : PodStatusReport.initContainers(pod.getSpec())) {
            List<ContainerInstance> instances = instancesOf(containers, init.getName());
            ContainerInstance latest = instances.isEmpty() ? null : instances.getFirst();
            if (PodStatusReport.isSidecar(init)) {
                if (appsDone) {
                    continue;
                }
                syncContainer(context, init, instances, "Always");
                boolean started = latest != null && latest.running() && probes.started(latest.id());
                if (!started && !appStarted) {
                    // the next sync, soon or on the startup probe's change, moves on to the next one
                    context.requeue().after(Duration.ofMillis(500));
                    return false;
                }
                continue;
            }
            if (appStarted) {
                continue;
            }
            if (latest != null && latest.stopped() && latest.exitCode() == 0 && latest.error() == null) {
                context.waiting().remove(init.getName());
                continue;
            }
            // init containers restart on failure unless the pod never restarts anything
            syncContainer(context, init, instances, restartPolicy(pod).equals("Never") ? "Never" : "OnFailure");
            return false;
        }
        return true;
    }

    /** Whether every app container completed for good (restartPolicy Never or OnFailure), so the pod is finishing. */
    private static boolean appContainersDone(Pod pod, List<ContainerInstance> containers) {
        String policy = restartPolicy(pod);
        if (policy.equals("Always")) {
            return false;
        }
        for (Container spec : pod.getSpec().getContainers()) {
            List<ContainerInstance> instances = instancesOf(containers, spec.getName());
            ContainerInstance latest = instances.isEmpty() ? null : instances.getFirst();
            if (latest == null || !latest.stopped()) {
                return false;
            }
            if (policy.equals("OnFailure") && (latest.exitCode() != 0 || latest.error() != null)) {
                return false;
            }
        }
        return true;
    }

    /** Once the app containers completed, the sidecars stop in reverse order, as the kubelet ends such pods. */
    private void stopSidecars(PodContext context, List<ContainerInstance> containers) throws InterruptedException {
        List<Container> sidecars = new ArrayList<>(PodStatusReport.initContainers(context.pod().getSpec()).stream()
                .filter(PodStatusReport::isSidecar)
                .toList());
        Collections.reverse(sidecars);
        Instant deadline = clock.instant().plusSeconds(ContainerStops.gracePeriod(context.pod()));
        for (Container sidecar : sidecars) {
            for (ContainerInstance instance : instancesOf(containers, sidecar.getName())) {
                if (instance.running()) {
                    log.info("Pod {}: app containers completed, stopping sidecar {}", context.key(), sidecar.getName());
                    stops.kill(context.pod(), context.key(), sidecar, instance, context.sandbox(), stops.remaining(deadline));
                }
            }
            context.waiting().remove(sidecar.getName());
        }
    }

    /** Ephemeral containers start once and are never restarted, as upstream's. */
    private void syncEphemeralContainers(PodContext context, List<ContainerInstance> containers) throws InterruptedException {
        List<EphemeralContainer> ephemerals = context.pod().getSpec().getEphemeralContainers();
        if (ephemerals == null) {
            return;
        }
        for (EphemeralContainer ephemeral : ephemerals) {
            if (!instancesOf(containers, ephemeral.getName()).isEmpty()) {
                context.waiting().remove(ephemeral.getName());
                continue;
            }
            ContainerStateWaiting problem = startContainer(context, asContainer(ephemeral), 0);
            if (problem != null) {
                context.waiting().put(ephemeral.getName(), problem);
            } else {
                context.waiting().remove(ephemeral.getName());
            }
        }
    }

    /** Keeps one container running or restarts it under {@code policy} ({@code Always}, {@code OnFailure}, {@code Never}). */
    private void syncContainer(PodContext context, Container spec, List<ContainerInstance> instances, String policy)
            throws InterruptedException {
        Pod pod = context.pod();
        Map<String, ContainerStateWaiting> podWaiting = context.waiting();
        String backOffKey = context.uid() + "/" + spec.getName();
        ContainerInstance latest = instances.isEmpty() ? null : instances.getFirst();
        int attempt;
        if (latest == null) {
            attempt = 0;
        } else if (latest.running() || !latest.stopped()) {
            podWaiting.remove(spec.getName());
            pruneOlderThan(instances, 2);
            return;
        } else {
            boolean failed = latest.exitCode() != 0 || latest.error() != null;
            boolean restart = policy.equals("Always") || (policy.equals("OnFailure") && failed);
            if (!restart) {
                podWaiting.remove(spec.getName());
                pruneOlderThan(instances, 2);
                return;
            }
            Instant stoppedAt = latest.stoppedAt() == null ? clock.instant() : latest.stoppedAt();
            if (ranLongEnough(latest)) {
                // as the kubelet: a container that ran long enough before exiting starts its back-off over
                restartBackOff.forget(backOffKey);
            }
            if (restartBackOff.inBackOffSince(backOffKey, stoppedAt)) {
                Duration delay = Objects.requireNonNull(restartBackOff.delay(backOffKey));
                podWaiting.put(spec.getName(), new ContainerStateWaiting(
                        "back-off " + format(delay) + " restarting failed container=" + spec.getName() + " pod="
                                + pod.getMetadata().getName() + "_" + pod.getMetadata().getNamespace() + "(" + context.uid() + ")",
                        "CrashLoopBackOff"));
                context.requeue().after(restartBackOff.remaining(backOffKey, stoppedAt));
                return;
            }
            restartBackOff.next(backOffKey, stoppedAt);
            attempt = latest.attempt() + 1;
        }
        ContainerStateWaiting problem = startContainer(context, spec, attempt);
        if (problem != null) {
            podWaiting.put(spec.getName(), problem);
        } else {
            podWaiting.remove(spec.getName());
            pruneOlderThan(instances, 1);
        }
    }

    private boolean ranLongEnough(ContainerInstance instance) {
        return instance.startedAt() != null && instance.finishedAt() != null
                && Duration.between(instance.startedAt(), instance.finishedAt())
                        .compareTo(properties.restartBackOff().resetAfter()) >= 0;
    }

    /** Starts one container once its image is there, then its postStart hook; returns why it is waiting otherwise. */
    private @Nullable ContainerStateWaiting startContainer(PodContext context, Container spec, int attempt)
            throws InterruptedException {
        Pod pod = context.pod();
        String key = context.key();
        Requeue requeue = context.requeue();
        ContainerStateWaiting pullProblem = images.ensure(pod, key, spec, requeue);
        if (pullProblem != null) {
            return pullProblem;
        }
        ContainerEnvironment.Resolved resolved;
        List<PodVolumes.Mount> mounts;
        try {
            resolved = environment.resolve(pod, spec, context.sandbox().ipAddress(), properties.nodeName());
            mounts = new ArrayList<>(PodVolumes.mounts(pod, spec, context.volumeDirs(), resolved.env()));
        } catch (ContainerEnvironment.ConfigException | PodVolumes.VolumeException e) {
            requeue.after(properties.retryInterval());
            return new ContainerStateWaiting(e.getMessage(), "CreateContainerConfigError");
        }
        try {
            mounts.add(messages.mount(pod, spec, attempt));
        } catch (IOException e) {
            requeue.after(properties.retryInterval());
            return new ContainerStateWaiting("creating the termination message file failed: " + e.getMessage(),
                    "CreateContainerError");
        }
        String id;
        try {
            id = runtime.startContainer(new ContainerLaunch(pod, spec, attempt, context.sandbox().id(), resolved.env(),
                    resolved.entrypoint(), resolved.cmd(), mounts));
            log.info("Pod {}: started container {} ({}, attempt {})", key, spec.getName(), shortId(id), attempt);
        } catch (ContainerStartException e) {
            log.info("Pod {}: container {} failed to start: {}", key, spec.getName(), e.getMessage());
            requeue.after(properties.retryInterval());
            return new ContainerStateWaiting(e.getMessage(), "RunContainerError");
        } catch (RuntimeException e) {
            requeue.after(properties.retryInterval());
            return new ContainerStateWaiting(e.getMessage(), "CreateContainerError");
        }
        return runPostStart(context, spec, id);
    }

    /** The postStart hook right after the start; when it fails the container is killed and the restart policy decides. */
    private @Nullable ContainerStateWaiting runPostStart(PodContext context, Container spec, String id)
            throws InterruptedException {
        LifecycleHandler postStart = spec.getLifecycle() == null ? null : spec.getLifecycle().getPostStart();
        if (postStart == null) {
            return null;
        }
        ContainerInstance instance = runtime.podContainers(context.uid()).stream()
                .filter(c -> c.id().equals(id))
                .findFirst()
                .orElse(null);
        if (instance == null) {
            return null;
        }
        Duration grace = Duration.ofSeconds(ContainerStops.gracePeriod(context.pod()));
        String failure = hooks.run(postStart, context.pod(), context.sandbox(), instance, grace);
        if (failure == null) {
            return null;
        }
        log.info("Pod {}: postStart hook of {} failed, killing it: {}", context.key(), spec.getName(), failure);
        events.warning(context.pod(), "FailedPostStartHook", failure);
        stops.kill(context.pod(), context.key(), spec, instance, context.sandbox(), grace);
        return new ContainerStateWaiting(failure, "PostStartHookError");
    }

    /** Keeps the newest {@code keep} instances: the current one and the one {@code previous} logs read. */
    private void pruneOlderThan(List<ContainerInstance> instances, int keep) {
        for (int i = keep; i < instances.size(); i++) {
            runtime.remove(instances.get(i).id());
        }
    }

    /**
     * Graceful deletion as the kubelet's {@code killPod}: app (and unfinished init) containers all at once, each
     * with its preStop hook, then the sidecars one by one in reverse order with what is left of the grace period;
     * then everything is removed and the pod deleted.
     */
    private void terminate(Pod pod, String key, List<ContainerInstance> containers) throws InterruptedException {
        long grace = pod.getMetadata().getDeletionGracePeriodSeconds() != null
                ? pod.getMetadata().getDeletionGracePeriodSeconds()
                : ContainerStops.gracePeriod(pod);
        Instant deadline = clock.instant().plusSeconds(grace);
        probes.update(pod, containers);
        ContainerInstance sandbox = containers.stream().filter(c -> c.isSandbox() && c.running()).findFirst().orElse(null);
        List<Container> sidecars = new ArrayList<>(PodStatusReport.initContainers(pod.getSpec()).stream()
                .filter(PodStatusReport::isSidecar)
                .toList());
        Set<String> sidecarNames = new HashSet<>(sidecars.stream().map(Container::getName).toList());
        List<ContainerInstance> running = containers.stream()
                .filter(c -> !c.isSandbox() && c.running() && !sidecarNames.contains(c.name()))
                .toList();
        if (!running.isEmpty()) {
            try (ExecutorService parallel = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> futures = new ArrayList<>();
                for (ContainerInstance container : running) {
                    futures.add(parallel.submit(() -> {
                        stops.kill(pod, key, spec(pod, container.name()), container, sandbox, stops.remaining(deadline));
                        return null;
                    }));
                }
                for (Future<?> future : futures) {
                    try {
                        future.get();
                    } catch (ExecutionException e) {
                        log.warn("Pod {}: stopping a container failed: {}", key, e.getCause().getMessage());
                    }
                }
            }
        }
        Collections.reverse(sidecars);
        for (Container sidecar : sidecars) {
            for (ContainerInstance instance : instancesOf(containers, sidecar.getName())) {
                if (instance.running()) {
                    stops.kill(pod, key, sidecar, instance, sandbox, stops.remaining(deadline));
                }
            }
        }
        containers.forEach(c -> runtime.remove(c.id()));
        forget(pod.getMetadata().getUid());
        try {
            client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                    .withGracePeriod(0).delete();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
        log.info("Pod {}: terminated (grace {}s), containers removed and pod deleted", key, grace);
    }

    /**
     * Fails the pod for good as the kubelet's eviction manager does when an emptyDir outgrew its sizeLimit: its
     * containers are killed at once (no grace, as upstream for local storage), the phase is Failed with reason
     * {@code Evicted} and a {@code DisruptionTarget} condition, and a terminal pod never runs again.
     */
    private void evict(Pod pod, String key, List<ContainerInstance> containers, String message) throws InterruptedException {
        log.info("Pod {}: evicted: {}", key, message);
        events.warning(pod, "Evicted", message);
        for (ContainerInstance instance : containers) {
            if (!instance.isSandbox() && instance.running()) {
                stops.kill(pod, key, null, instance, null, Duration.ZERO);
            }
        }
        probes.forget(pod.getMetadata().getUid());
        PodStatus status = PodStatusReport.compute(pod, runtime.podContainers(pod.getMetadata().getUid()),
                waiting.getOrDefault(pod.getMetadata().getUid(), Map.of()), facts(pod), runtime.name(), properties.address(),
                clock.instant());
        status.setPhase("Failed");
        status.setReason("Evicted");
        status.setMessage(message);
        List<PodCondition> conditions = new ArrayList<>(status.getConditions());
        conditions.removeIf(condition -> "DisruptionTarget".equals(condition.getType()));
        conditions.add(new PodConditionBuilder().withType("DisruptionTarget").withStatus("True")
                .withReason("TerminationByKubelet").withMessage(message)
                .withLastTransitionTime(PodStatusReport.timestamp(clock.instant())).build());
        status.setConditions(conditions);
        writeStatus(pod, key, status, new Requeue());
    }

    private void writeStatus(Pod pod, String key, PodStatus status, Requeue requeue) {
        String before = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        try {
            client.pods().inNamespace(pod.getMetadata().getNamespace())
                    .resource(new PodBuilder(pod).withStatus(status).build())
                    .updateStatus();
            if (!Objects.equals(before, status.getPhase())) {
                log.info("Pod {}: phase {}", key, status.getPhase());
            }
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return;
            }
            // a newer version is on its way through the informer; sync again soon either way
            requeue.after(properties.retryInterval());
            if (e.getCode() != 409) {
                log.warn("Pod {}: status update failed: {}", key, e.getMessage());
            }
        }
    }

    private static String restartPolicy(Pod pod) {
        return pod.getSpec().getRestartPolicy() == null ? "Always" : pod.getSpec().getRestartPolicy();
    }

    private static List<ContainerInstance> instancesOf(List<ContainerInstance> containers, String name) {
        return containers.stream().filter(c -> !c.isSandbox() && c.name().equals(name)).toList();
    }

    /** Init, app and ephemeral containers, in the order the kubelet starts them. */
    private static List<Container> allContainers(Pod pod) {
        List<Container> all = new ArrayList<>(PodStatusReport.initContainers(pod.getSpec()));
        all.addAll(pod.getSpec().getContainers());
        if (pod.getSpec().getEphemeralContainers() != null) {
            pod.getSpec().getEphemeralContainers().forEach(e -> all.add(asContainer(e)));
        }
        return all;
    }

    private static @Nullable Container spec(Pod pod, String name) {
        return allContainers(pod).stream().filter(c -> name.equals(c.getName())).findFirst().orElse(null);
    }

    /** An ephemeral container as the container the runtime starts (no ports, probes or lifecycle: the API refuses them). */
    static Container asContainer(EphemeralContainer ephemeral) {
        return new ContainerBuilder()
                .withName(ephemeral.getName())
                .withImage(ephemeral.getImage())
                .withImagePullPolicy(ephemeral.getImagePullPolicy())
                .withCommand(ephemeral.getCommand())
                .withArgs(ephemeral.getArgs())
                .withWorkingDir(ephemeral.getWorkingDir())
                .withEnv(ephemeral.getEnv())
                .withEnvFrom(ephemeral.getEnvFrom())
                .withVolumeMounts(ephemeral.getVolumeMounts())
                .withSecurityContext(ephemeral.getSecurityContext())
                .withStdin(ephemeral.getStdin())
                .withStdinOnce(ephemeral.getStdinOnce())
                .withTty(ephemeral.getTty())
                .withTerminationMessagePath(ephemeral.getTerminationMessagePath())
                .withTerminationMessagePolicy(ephemeral.getTerminationMessagePolicy())
                .build();
    }

    private static String shortId(String id) {
        return id.length() > 12 ? id.substring(0, 12) : id;
    }

    private static String format(Duration delay) {
        // Go's time.Duration spelling, as in the kubelet's message
        return delay.toMinutes() > 0 ? delay.toMinutes() + "m" + delay.toSecondsPart() + "s" : delay.toSeconds() + "s";
    }
}
