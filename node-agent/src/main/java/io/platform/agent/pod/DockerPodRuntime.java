package io.platform.agent.pod;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.PullImageResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.InternetProtocol;
import com.github.dockerjava.api.model.Volume;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.platform.agent.AgentProperties;
import io.platform.agent.docker.ClusterContainers;
import io.platform.agent.image.SandboxImageBuilder;
import io.platform.agent.volume.PodVolumes;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Docker side of running pods: one sandbox container per pod on the default bridge, app
 * containers in its network namespace, every one labelled with cluster, node and pod.
 */
final class DockerPodRuntime {

    private static final Logger log = LoggerFactory.getLogger(DockerPodRuntime.class);
    private static final BigDecimal NANOS = BigDecimal.valueOf(1_000_000_000L);
    private static final int MAX_HOSTNAME = 63;

    private final DockerClient docker;
    private final AgentProperties properties;

    DockerPodRuntime(DockerClient docker, AgentProperties properties) {
        this.docker = docker;
        this.properties = properties;
    }

    /** Every container of the pod, newest start first. */
    List<ContainerInstance> podContainers(String uid) {
        List<Container> listed = docker.listContainersCmd()
                .withShowAll(true)
                .withLabelFilter(Map.of(ClusterContainers.CLUSTER, properties.clusterId(), ClusterContainers.POD_UID, uid))
                .exec();
        List<ContainerInstance> instances = new ArrayList<>();
        for (Container container : listed) {
            try {
                instances.add(ContainerInstance.of(docker.inspectContainerCmd(container.getId()).exec()));
            } catch (NotFoundException e) {
                // removed between list and inspect
            }
        }
        instances.sort(Comparator.comparingInt(ContainerInstance::attempt).reversed());
        return instances;
    }

    /** Pod uid of every container this agent created on this node, by container id. */
    Map<String, String> nodeContainerPods() {
        Map<String, String> pods = new HashMap<>();
        for (Container container : docker.listContainersCmd()
                .withShowAll(true)
                .withLabelFilter(Map.of(
                        ClusterContainers.CLUSTER, properties.clusterId(),
                        ClusterContainers.NODE, properties.nodeName()))
                .exec()) {
            String uid = container.getLabels().get(ClusterContainers.POD_UID);
            if (uid != null) {
                pods.put(container.getId(), uid);
            }
        }
        return pods;
    }

    synchronized void ensureSandboxImage() {
        if (!imagePresent(properties.sandboxImage())) {
            SandboxImageBuilder.build(properties.effectiveDockerHost(), properties.busyboxBinary(), properties.sandboxImage());
            log.info("Built pod sandbox image {} from {}", properties.sandboxImage(), properties.busyboxBinary());
        }
    }

    /** Creates and starts the pod's sandbox: default bridge network, hostname = pod name. */
    String startSandbox(Pod pod, int attempt) {
        ensureSandboxImage();
        String podName = pod.getMetadata().getName();
        String hostname = podName.length() > MAX_HOSTNAME ? podName.substring(0, MAX_HOSTNAME) : podName;
        // the pod's ports are recorded on the sandbox, which owns the network namespace (as dockershim did);
        // Docker refuses exposed ports on containers that join another's network
        List<ExposedPort> ports = new ArrayList<>();
        for (io.fabric8.kubernetes.api.model.Container spec : pod.getSpec().getContainers()) {
            if (spec.getPorts() != null) {
                for (io.fabric8.kubernetes.api.model.ContainerPort port : spec.getPorts()) {
                    ports.add(new ExposedPort(port.getContainerPort(),
                            "UDP".equals(port.getProtocol()) ? InternetProtocol.UDP : InternetProtocol.TCP));
                }
            }
        }
        String id = docker.createContainerCmd(properties.sandboxImage())
                .withName(containerName(pod, ClusterContainers.SANDBOX, attempt))
                .withHostName(hostname)
                .withLabels(labels(pod, ClusterContainers.SANDBOX, attempt))
                .withExposedPorts(ports)
                .withHostConfig(HostConfig.newHostConfig().withNetworkMode("bridge"))
                .exec()
                .getId();
        docker.startContainerCmd(id).exec();
        return id;
    }

    /**
     * Creates and starts one app container in the sandbox's network namespace.
     *
     * @throws ContainerStartException when the engine created it but could not start it
     */
    String startContainer(Pod pod, io.fabric8.kubernetes.api.model.Container spec, int attempt, String sandboxId,
            List<String> env, List<String> entrypoint, List<String> cmd, List<PodVolumes.Mount> mounts) {
        HostConfig host = hostConfig(sandboxId, mounts);
        ResourceRequirements resources = spec.getResources();
        if (resources != null) {
            Quantity memory = quantity(resources.getLimits(), "memory");
            if (memory != null) {
                host.withMemory(Quantity.getAmountInBytes(memory).longValue());
            }
            Quantity cpuLimit = quantity(resources.getLimits(), "cpu");
            if (cpuLimit != null) {
                host.withNanoCPUs(Quantity.getAmountInBytes(cpuLimit).multiply(NANOS).longValue());
            }
            Quantity cpuRequest = quantity(resources.getRequests(), "cpu");
            if (cpuRequest == null) {
                cpuRequest = cpuLimit;
            }
            if (cpuRequest != null) {
                // as the kubelet: shares = milliCPU * 1024 / 1000, at least 2
                long milli = Quantity.getAmountInBytes(cpuRequest).multiply(BigDecimal.valueOf(1000)).longValue();
                host.withCpuShares((int) Math.max(2, milli * 1024 / 1000));
            }
            Quantity pids = quantity(resources.getLimits(), "pids");
            if (pids != null) {
                host.withPidsLimit(Quantity.getAmountInBytes(pids).longValue());
            }
        }
        CreateContainerCmd create = docker.createContainerCmd(spec.getImage())
                .withName(containerName(pod, spec.getName(), attempt))
                .withLabels(labels(pod, spec.getName(), attempt))
                .withEnv(env)
                .withTty(Boolean.TRUE.equals(spec.getTty()))
                .withStdinOpen(Boolean.TRUE.equals(spec.getStdin()))
                .withHostConfig(host);
        if (!entrypoint.isEmpty()) {
            create.withEntrypoint(entrypoint);
        }
        if (!cmd.isEmpty() || !entrypoint.isEmpty()) {
            create.withCmd(cmd);
        }
        if (spec.getWorkingDir() != null && !spec.getWorkingDir().isEmpty()) {
            create.withWorkingDir(spec.getWorkingDir());
        }
        String id = create.exec().getId();
        try {
            docker.startContainerCmd(id).exec();
        } catch (RuntimeException e) {
            throw new ContainerStartException(id, e.getMessage());
        }
        return id;
    }

    /** The app container's host settings before resource limits: the sandbox's network and the volume binds. */
    static HostConfig hostConfig(String sandboxId, List<PodVolumes.Mount> mounts) {
        List<Bind> binds = mounts.stream()
                .map(mount -> new Bind(mount.hostPath().toString(), new Volume(mount.containerPath()),
                        mount.readOnly() ? AccessMode.ro : AccessMode.rw))
                .toList();
        return HostConfig.newHostConfig().withNetworkMode("container:" + sandboxId).withBinds(binds);
    }

    boolean imagePresent(String image) {
        try {
            docker.inspectImageCmd(image).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    /** Pulls {@code image} from its registry; throws with the engine's reason when that fails. */
    void pull(String image) throws InterruptedException {
        String repository = image;
        String tag = "latest";
        int at = image.indexOf('@');
        if (at >= 0) {
            repository = image.substring(0, at);
            tag = image.substring(at + 1);
        } else {
            int colon = image.lastIndexOf(':');
            if (colon > image.lastIndexOf('/')) {
                repository = image.substring(0, colon);
                tag = image.substring(colon + 1);
            }
        }
        QuietPull callback = docker.pullImageCmd(repository).withTag(tag).exec(new QuietPull());
        boolean done = callback.awaitCompletion(properties.imagePullTimeout().toMillis(), TimeUnit.MILLISECONDS);
        if (callback.failure != null) {
            throw new IllegalStateException(engineMessage(callback.failure));
        }
        if (!done) {
            callback.closeQuietly();
            throw new IllegalStateException("pull did not finish within " + properties.imagePullTimeout());
        }
    }

    /** The engine's own words from an error answer ({@code Status 500: {"message":"..."}}). */
    static String engineMessage(Throwable error) {
        String message = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
        java.util.regex.Matcher matcher = java.util.regex.Pattern
                .compile("(?s)Status \\d+: \\{\"message\":\"(.*)\"\\}\\s*").matcher(message);
        return matcher.matches() ? matcher.group(1).replace("\\\"", "\"") : message;
    }

    /** A failed pull is an expected outcome here (no registry): keep it for the caller instead of logging a trace. */
    private static final class QuietPull extends PullImageResultCallback {
        private volatile @Nullable Throwable failure;

        @Override
        public void onError(Throwable throwable) {
            failure = throwable;
            closeQuietly();
        }

        void closeQuietly() {
            try {
                close();
            } catch (java.io.IOException e) {
                log.debug("closing a pull stream failed: {}", e.getMessage());
            }
        }
    }

    /** Stops with a grace period (SIGTERM, then SIGKILL after {@code graceSeconds}). */
    void stop(String id, long graceSeconds) {
        try {
            docker.stopContainerCmd(id).withTimeout((int) Math.min(Integer.MAX_VALUE, graceSeconds)).exec();
        } catch (NotFoundException e) {
            // already gone
        } catch (RuntimeException e) {
            // docker answers 304 when it was not running
            log.debug("stop of {} failed: {}", id, e.getMessage());
        }
    }

    void remove(String id) {
        try {
            docker.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
        } catch (NotFoundException e) {
            // already gone
        }
    }

    Map<String, String> labels(Pod pod, String container, int attempt) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(ClusterContainers.CLUSTER, properties.clusterId());
        labels.put(ClusterContainers.NODE, properties.nodeName());
        labels.put(ClusterContainers.POD_UID, pod.getMetadata().getUid());
        labels.put(ClusterContainers.POD_NAMESPACE, pod.getMetadata().getNamespace());
        labels.put(ClusterContainers.POD_NAME, pod.getMetadata().getName());
        labels.put(ClusterContainers.CONTAINER, container);
        labels.put(ClusterContainers.ATTEMPT, Integer.toString(attempt));
        return labels;
    }

    /** The kubelet's Docker naming: {@code k8s_<container>_<pod>_<namespace>_<uid>_<attempt>}. */
    static String containerName(Pod pod, String container, int attempt) {
        return "k8s_" + container + "_" + pod.getMetadata().getName() + "_" + pod.getMetadata().getNamespace() + "_"
                + pod.getMetadata().getUid() + "_" + attempt;
    }

    private static @Nullable Quantity quantity(@Nullable Map<String, Quantity> values, String name) {
        return values == null ? null : values.get(name);
    }

    /** The engine created the container but refused to start it (for example, no such executable). */
    static final class ContainerStartException extends RuntimeException {
        private final String containerId;

        ContainerStartException(String containerId, @Nullable String message) {
            super(message == null ? "container failed to start" : message);
            this.containerId = containerId;
        }

        String containerId() {
            return containerId;
        }
    }
}
