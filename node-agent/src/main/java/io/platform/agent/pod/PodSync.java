package io.platform.agent.pod;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.platform.agent.AgentProperties;
import io.platform.agent.runtime.ContainerInstance;
import io.platform.agent.runtime.ContainerLaunch;
import io.platform.agent.runtime.ContainerRuntime;
import io.platform.agent.runtime.ContainerStartException;
import io.platform.agent.volume.PodVolumes;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives one pod toward its spec (level-based: read the engine, act, report), as the kubelet's
 * {@code SyncPod}: sandbox first, then each container by restart policy and image pull policy,
 * then the status when it changed. Graceful deletion ends with the pod deleted with grace 0.
 */
final class PodSync {

    private static final Logger log = LoggerFactory.getLogger(PodSync.class);
    private static final long DEFAULT_GRACE_SECONDS = 30;

    private final KubernetesClient client;
    private final ContainerRuntime runtime;
    private final ContainerEnvironment environment;
    private final PodVolumes volumes;
    private final AgentProperties properties;
    private final Clock clock;
    private final BackOff restartBackOff;
    private final BackOff pullBackOff;
    /** Why a container is waiting when the engine has nothing to say, by pod uid then container. */
    private final Map<String, Map<String, ContainerStateWaiting>> waiting = new ConcurrentHashMap<>();
    /** The last pull failure per pod uid and image, shown as ErrImagePull. */
    private final Map<String, String> pullErrors = new ConcurrentHashMap<>();
    /** The last volume failure per pod uid, logged once. */
    private final Map<String, String> mountErrors = new ConcurrentHashMap<>();

    PodSync(KubernetesClient client, ContainerRuntime runtime, AgentProperties properties, Clock clock,
            ContainerEnvironment.Services services) {
        this.client = client;
        this.runtime = runtime;
        this.environment = new ContainerEnvironment(client, services);
        this.volumes = new PodVolumes(client, properties.rootDir(), clock);
        this.properties = properties;
        this.clock = clock;
        this.restartBackOff = new BackOff(properties.restartBackOff(), clock);
        this.pullBackOff = new BackOff(properties.imagePullBackOff(), clock);
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
            return null;
        }
        Requeue requeue = new Requeue();
        Map<String, ContainerStateWaiting> podWaiting = waiting.computeIfAbsent(uid, u -> new ConcurrentHashMap<>());
        // volumes first, as the kubelet mounts them before anything starts; every sync rewrites what changed (tokens)
        Map<String, Path> volumeDirs = setUpVolumes(pod, key, requeue);
        if (volumeDirs == null) {
            String message = Objects.requireNonNull(mountErrors.get(uid));
            for (Container spec : pod.getSpec().getContainers()) {
                boolean running = containers.stream().anyMatch(c -> !c.isSandbox() && c.name().equals(spec.getName()) && c.running());
                if (!running) {
                    podWaiting.put(spec.getName(), new ContainerStateWaiting(message, "ContainerCreating"));
                }
            }
        } else {
            ContainerInstance sandbox = containers.stream().filter(c -> c.isSandbox() && c.running()).findFirst().orElse(null);
            if (sandbox == null) {
                sandbox = replaceSandbox(pod, key, containers);
                containers = runtime.podContainers(uid);
            }
            for (Container spec : pod.getSpec().getContainers()) {
                syncContainer(pod, key, spec, containers, sandbox, podWaiting, requeue, volumeDirs);
            }
        }
        containers = runtime.podContainers(uid);
        PodStatus status = PodStatusReport.compute(pod, containers, podWaiting, runtime.name(), properties.address(), clock.instant());
        if (!Objects.equals(status, pod.getStatus())) {
            writeStatus(pod, key, status, requeue);
        }
        return requeue.delay;
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

    /** Pods with volume directories on this node. */
    Set<String> podsWithVolumes() {
        return volumes.podsWithVolumes();
    }

    void forget(String uid) {
        volumes.tearDown(uid);
        mountErrors.remove(uid);
        waiting.remove(uid);
        restartBackOff.forgetPrefix(uid + "/");
        pullBackOff.forgetPrefix(uid + "/");
        pullErrors.keySet().removeIf(pullKey -> pullKey.startsWith(uid + "/"));
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
        log.info("Pod {}: started sandbox {}", key, id.substring(0, 12));
        return runtime.podContainers(pod.getMetadata().getUid()).stream()
                .filter(c -> c.id().equals(id))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("sandbox " + id + " vanished after start"));
    }

    private void syncContainer(Pod pod, String key, Container spec, List<ContainerInstance> containers,
            ContainerInstance sandbox, Map<String, ContainerStateWaiting> podWaiting, Requeue requeue,
            Map<String, Path> volumeDirs) throws InterruptedException {
        String uid = pod.getMetadata().getUid();
        String backOffKey = uid + "/" + spec.getName();
        List<ContainerInstance> instances = containers.stream()
                .filter(c -> !c.isSandbox() && c.name().equals(spec.getName()))
                .toList();
        ContainerInstance latest = instances.isEmpty() ? null : instances.getFirst();
        int attempt;
        if (latest == null) {
            attempt = 0;
        } else if (latest.running() || !latest.stopped()) {
            podWaiting.remove(spec.getName());
            pruneOlderThan(instances, 2);
            return;
        } else {
            String policy = pod.getSpec().getRestartPolicy() == null ? "Always" : pod.getSpec().getRestartPolicy();
            boolean restart = policy.equals("Always") || (policy.equals("OnFailure") && latest.exitCode() != 0)
                    || (policy.equals("OnFailure") && latest.error() != null);
            if (!restart) {
                podWaiting.remove(spec.getName());
                pruneOlderThan(instances, 2);
                return;
            }
            Instant stoppedAt = latest.stoppedAt() == null ? clock.instant() : latest.stoppedAt();
            if (restartBackOff.inBackOffSince(backOffKey, stoppedAt)) {
                Duration delay = Objects.requireNonNull(restartBackOff.delay(backOffKey));
                podWaiting.put(spec.getName(), new ContainerStateWaiting(
                        "back-off " + format(delay) + " restarting failed container=" + spec.getName() + " pod="
                                + pod.getMetadata().getName() + "_" + pod.getMetadata().getNamespace() + "(" + uid + ")",
                        "CrashLoopBackOff"));
                requeue.after(restartBackOff.remaining(backOffKey, stoppedAt));
                return;
            }
            restartBackOff.next(backOffKey, stoppedAt);
            attempt = latest.attempt() + 1;
        }
        ContainerStateWaiting problem = startContainer(pod, key, spec, attempt, sandbox, requeue, volumeDirs);
        if (problem != null) {
            podWaiting.put(spec.getName(), problem);
        } else {
            podWaiting.remove(spec.getName());
            pruneOlderThan(instances, 1);
        }
    }

    /** Starts one container after the image pull policy allows it; returns why it is waiting otherwise. */
    private @Nullable ContainerStateWaiting startContainer(Pod pod, String key, Container spec, int attempt,
            ContainerInstance sandbox, Requeue requeue, Map<String, Path> volumeDirs) throws InterruptedException {
        String image = spec.getImage();
        String pullKey = pod.getMetadata().getUid() + "/" + image;
        String policy = ImagePullPolicy.effective(spec);
        boolean present = runtime.imagePresent(image);
        if (policy.equals("Never") && !present) {
            requeue.after(properties.retryInterval());
            return new ContainerStateWaiting("Container image \"" + image + "\" is not present with pull policy of Never",
                    "ErrImageNeverPull");
        }
        if (policy.equals("Always") || !present) {
            if (pullBackOff.inBackOffSinceUpdate(pullKey)) {
                Duration remaining = pullBackOff.remainingSinceUpdate(pullKey);
                Duration half = Objects.requireNonNull(pullBackOff.delay(pullKey)).dividedBy(2);
                String lastError = pullErrors.get(pullKey);
                // ErrImagePull stays for the first half of the back-off (syncs come often), ImagePullBackOff for the rest
                if (lastError != null && remaining.compareTo(half) > 0) {
                    requeue.after(remaining.minus(half));
                    return new ContainerStateWaiting(lastError, "ErrImagePull");
                }
                requeue.after(remaining);
                return new ContainerStateWaiting("Back-off pulling image \"" + image + "\"", "ImagePullBackOff");
            }
            try {
                runtime.pull(image, List.of());
                pullErrors.remove(pullKey);
                log.info("Pod {}: pulled image {}", key, image);
            } catch (RuntimeException e) {
                pullBackOff.next(pullKey, clock.instant());
                requeue.after(Objects.requireNonNull(pullBackOff.delay(pullKey)).dividedBy(2));
                log.info("Pod {}: pulling image {} failed: {}", key, image, e.getMessage());
                String message = "Failed to pull image \"" + image + "\": " + e.getMessage();
                pullErrors.put(pullKey, message);
                return new ContainerStateWaiting(message, "ErrImagePull");
            }
        }
        ContainerEnvironment.Resolved resolved;
        List<PodVolumes.Mount> mounts;
        try {
            resolved = environment.resolve(pod, spec, sandbox.ipAddress(), properties.nodeName());
            mounts = PodVolumes.mounts(spec, volumeDirs);
        } catch (ContainerEnvironment.ConfigException | PodVolumes.VolumeException e) {
            requeue.after(properties.retryInterval());
            return new ContainerStateWaiting(e.getMessage(), "CreateContainerConfigError");
        }
        try {
            String id = runtime.startContainer(new ContainerLaunch(pod, spec, attempt, sandbox.id(), resolved.env(),
                    resolved.entrypoint(), resolved.cmd(), mounts));
            log.info("Pod {}: started container {} ({}, attempt {})", key, spec.getName(), id.substring(0, 12), attempt);
            return null;
        } catch (ContainerStartException e) {
            log.info("Pod {}: container {} failed to start: {}", key, spec.getName(), e.getMessage());
            requeue.after(properties.retryInterval());
            return new ContainerStateWaiting(e.getMessage(), "RunContainerError");
        } catch (RuntimeException e) {
            requeue.after(properties.retryInterval());
            return new ContainerStateWaiting(e.getMessage(), "CreateContainerError");
        }
    }

    /** Keeps the newest {@code keep} instances: the current one and the one {@code previous} logs read. */
    private void pruneOlderThan(List<ContainerInstance> instances, int keep) {
        for (int i = keep; i < instances.size(); i++) {
            runtime.remove(instances.get(i).id());
        }
    }

    /** Graceful deletion: stop app containers within the grace period, remove everything, delete the pod. */
    private void terminate(Pod pod, String key, List<ContainerInstance> containers) throws InterruptedException {
        long grace = pod.getMetadata().getDeletionGracePeriodSeconds() != null
                ? pod.getMetadata().getDeletionGracePeriodSeconds()
                : pod.getSpec().getTerminationGracePeriodSeconds() != null
                        ? pod.getSpec().getTerminationGracePeriodSeconds()
                        : DEFAULT_GRACE_SECONDS;
        List<ContainerInstance> running = containers.stream().filter(c -> !c.isSandbox() && c.running()).toList();
        if (!running.isEmpty()) {
            // all containers get SIGTERM at once, as the kubelet's killPod
            try (ExecutorService stops = Executors.newVirtualThreadPerTaskExecutor()) {
                List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
                for (ContainerInstance container : running) {
                    futures.add(stops.submit(() -> runtime.stop(container.id(), Duration.ofSeconds(grace))));
                }
                for (var future : futures) {
                    try {
                        future.get();
                    } catch (java.util.concurrent.ExecutionException e) {
                        log.warn("Pod {}: stopping a container failed: {}", key, e.getCause().getMessage());
                    }
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

    private static String format(Duration delay) {
        // Go's time.Duration spelling, as in the kubelet's message
        return delay.toMinutes() > 0 ? delay.toMinutes() + "m" + delay.toSecondsPart() + "s" : delay.toSeconds() + "s";
    }

    /** The earliest time this pod needs another sync. */
    private static final class Requeue {
        @Nullable Duration delay;

        void after(Duration candidate) {
            Duration at = candidate.isZero() ? Duration.ofMillis(100) : candidate;
            if (delay == null || at.compareTo(delay) < 0) {
                delay = at;
            }
        }
    }
}
