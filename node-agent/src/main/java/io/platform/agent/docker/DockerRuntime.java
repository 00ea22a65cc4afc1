package io.platform.agent.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.PullImageCmd;
import com.github.dockerjava.api.command.PullImageResultCallback;
import com.github.dockerjava.api.model.AuthConfig;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.InternetProtocol;
import com.github.dockerjava.api.model.LogConfig;
import com.github.dockerjava.api.model.PropagationMode;
import com.github.dockerjava.api.model.SELContext;
import com.github.dockerjava.api.model.Volume;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.ContainerNetwork;
import io.platform.agent.AgentProperties;
import io.platform.agent.image.SandboxImageBuilder;
import io.platform.agent.runtime.ContainerInstance;
import io.platform.agent.runtime.ContainerLaunch;
import io.platform.agent.runtime.ContainerRuntime;
import io.platform.agent.runtime.ContainerStartException;
import io.platform.agent.runtime.ContainerUsage;
import io.platform.agent.runtime.ExecRequest;
import io.platform.agent.runtime.ExecSession;
import io.platform.agent.runtime.LogOptions;
import io.platform.agent.volume.PodVolumes;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import reactor.core.publisher.Flux;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Docker engine as the container runtime: one sandbox container per pod on the default bridge,
 * app containers in its network namespace, every one labelled with cluster, node and pod.
 */
public final class DockerRuntime implements ContainerRuntime {

    private static final Logger log = LoggerFactory.getLogger(DockerRuntime.class);
    private static final BigDecimal NANOS = BigDecimal.valueOf(1_000_000_000L);
    private static final int MAX_HOSTNAME = 63;

    private final DockerClient docker;
    private final AgentProperties properties;

    public DockerRuntime(DockerClient docker, AgentProperties properties) {
        this.docker = docker;
        this.properties = properties;
    }

    @Override
    public String name() {
        return "docker";
    }

    /** The engine connection, for the image garbage collector. */
    DockerClient engine() {
        return docker;
    }

    @Override
    public String version() {
        return "docker://" + docker.versionCmd().exec().getVersion();
    }

    @Override
    public void close() {
        try {
            docker.close();
        } catch (IOException e) {
            log.debug("closing the engine connection failed: {}", e.getMessage());
        }
    }

    @Override
    public void prepare() {
        try {
            ensureSandboxImage();
        } catch (RuntimeException e) {
            log.warn("Pod sandbox image {} is not available yet: {}", properties.sandboxImage(), e.getMessage());
        }
    }

    @Override
    public List<ContainerInstance> podContainers(String uid) {
        List<Container> listed = docker.listContainersCmd()
                .withShowAll(true)
                .withLabelFilter(Map.of(ClusterContainers.CLUSTER, properties.clusterId(), ClusterContainers.POD_UID, uid))
                .exec();
        List<ContainerInstance> instances = new ArrayList<>();
        for (Container container : listed) {
            try {
                instances.add(instance(docker.inspectContainerCmd(container.getId()).exec()));
            } catch (NotFoundException e) {
                // removed between list and inspect
            }
        }
        instances.sort(Comparator.comparingInt(ContainerInstance::attempt).reversed());
        return instances;
    }

    @Override
    public Map<String, String> nodeContainerPods() {
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
    @Override
    public String startSandbox(Pod pod, int attempt) {
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

    /** Creates and starts one app container in the sandbox's network namespace. */
    @Override
    public String startContainer(ContainerLaunch launch) {
        Pod pod = launch.pod();
        io.fabric8.kubernetes.api.model.Container spec = launch.spec();
        int attempt = launch.attempt();
        List<String> entrypoint = launch.entrypoint();
        List<String> cmd = launch.cmd();
        HostConfig host = hostConfig(launch.sandboxId(), launch.mounts());
        // an ephemeral container's targetContainerName: it joins that container's PID namespace, as kubectl debug --target
        if (pod.getSpec().getEphemeralContainers() != null) {
            pod.getSpec().getEphemeralContainers().stream()
                    .filter(e -> spec.getName().equals(e.getName()) && e.getTargetContainerName() != null)
                    .findFirst()
                    .flatMap(e -> podContainers(pod.getMetadata().getUid()).stream()
                            .filter(c -> c.running() && c.name().equals(e.getTargetContainerName()))
                            .findFirst())
                    .ifPresent(target -> host.withPidMode("container:" + target.id()));
        }
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
        // a log file per container rotated by size, as the kubelet's containerLogMaxSize/containerLogMaxFiles
        host.withLogConfig(new LogConfig(LogConfig.LoggingType.JSON_FILE, Map.of(
                "max-size", properties.containerLogMaxSize(), "max-file", Integer.toString(properties.containerLogMaxFiles()))));
        CreateContainerCmd create = docker.createContainerCmd(spec.getImage())
                .withName(containerName(pod, spec.getName(), attempt))
                .withLabels(labels(pod, spec.getName(), attempt))
                .withEnv(launch.env())
                .withTty(Boolean.TRUE.equals(spec.getTty()))
                .withStdinOpen(Boolean.TRUE.equals(spec.getStdin()))
                // as upstream: the first attach that closes stdin closes it for good only with stdinOnce
                .withStdInOnce(Boolean.TRUE.equals(spec.getStdinOnce()))
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

    /**
     * The app container's host settings before resource limits: the sandbox's network and the volume binds, with
     * mountPropagation mapped as the kubelet's dockershim did (HostToContainer: rslave, Bidirectional: rshared).
     */
    static HostConfig hostConfig(String sandboxId, List<PodVolumes.Mount> mounts) {
        List<Bind> binds = mounts.stream()
                .map(mount -> new Bind(mount.hostPath().toString(), new Volume(mount.containerPath()),
                        mount.readOnly() ? AccessMode.ro : AccessMode.rw, SELContext.DEFAULT, null,
                        switch (mount.propagation()) {
                            case "HostToContainer" -> PropagationMode.RSLAVE;
                            case "Bidirectional" -> PropagationMode.RSHARED;
                            default -> PropagationMode.DEFAULT_MODE;
                        }))
                .toList();
        return HostConfig.newHostConfig().withNetworkMode("container:" + sandboxId).withBinds(binds);
    }

    @Override
    public boolean imagePresent(String image) {
        try {
            docker.inspectImageCmd(image).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    /** Pulls {@code image} from its registry; throws with the engine's reason when that fails. */
    @Override
    public void pull(String image, List<RegistryCredential> credentials) throws InterruptedException {
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
        if (credentials.isEmpty()) {
            pull(repository, tag, null);
            return;
        }
        // as the kubelet: every matching pull secret in turn, the last refusal is the error
        IllegalStateException refused = null;
        for (RegistryCredential credential : credentials) {
            try {
                pull(repository, tag, new AuthConfig()
                        .withRegistryAddress(credential.registry())
                        .withUsername(credential.username())
                        .withPassword(credential.password())
                        .withIdentityToken(credential.identityToken()));
                return;
            } catch (IllegalStateException e) {
                refused = e;
            }
        }
        throw refused;
    }

    private void pull(String repository, String tag, @Nullable AuthConfig auth) throws InterruptedException {
        PullImageCmd command = docker.pullImageCmd(repository).withTag(tag);
        if (auth != null) {
            command.withAuthConfig(auth);
        }
        QuietPull callback = command.exec(new QuietPull());
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

    @Override
    public void stop(String id, Duration grace) {
        try {
            docker.stopContainerCmd(id).withTimeout((int) Math.min(Integer.MAX_VALUE, grace.toSeconds())).exec();
        } catch (NotFoundException e) {
            // already gone
        } catch (RuntimeException e) {
            // docker answers 304 when it was not running
            log.debug("stop of {} failed: {}", id, e.getMessage());
        }
    }

    @Override
    public void remove(String id) {
        try {
            docker.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
        } catch (NotFoundException e) {
            // already gone
        }
    }

    Map<String, String> labels(Pod pod, String container, int attempt) {
        return ClusterContainers.labels(properties.clusterId(), properties.nodeName(), pod, container, attempt);
    }

    /** The kubelet's Docker naming: {@code k8s_<container>_<pod>_<namespace>_<uid>_<attempt>}. */
    static String containerName(Pod pod, String container, int attempt) {
        return "k8s_" + container + "_" + pod.getMetadata().getName() + "_" + pod.getMetadata().getNamespace() + "_"
                + pod.getMetadata().getUid() + "_" + attempt;
    }

    private static @Nullable Quantity quantity(@Nullable Map<String, Quantity> values, String name) {
        return values == null ? null : values.get(name);
    }

    @Override
    public Closeable watchExits(Consumer<String> podUid) {
        return new EngineEvents(docker, properties, podUid);
    }

    @Override
    public Flux<byte[]> logs(String containerId, LogOptions options) {
        return DockerLogs.read(docker, containerId, options);
    }

    @Override
    public ExecSession exec(String containerId, ExecRequest request) throws IOException {
        return DockerExec.exec(docker, properties.effectiveDockerHost(), containerId, request);
    }

    @Override
    public ExecSession attach(String containerId, ExecRequest request) throws IOException {
        return DockerExec.attach(docker, properties.effectiveDockerHost(), containerId, request);
    }

    @Override
    public InetSocketAddress podPort(ContainerInstance sandbox, int port) {
        // the pod's address on the engine's bridge, which this node routes to
        return new InetSocketAddress(Objects.requireNonNull(sandbox.ipAddress(), "the sandbox has no address"), port);
    }

    @Override
    public Optional<ContainerUsage> usage(String containerId) {
        return Optional.empty();
    }

    /** One engine container as the runtime reports it. */
    static ContainerInstance instance(InspectContainerResponse inspect) {
        Map<String, String> labels = inspect.getConfig().getLabels();
        InspectContainerResponse.ContainerState state = inspect.getState();
        String ip = null;
        if (inspect.getNetworkSettings() != null && inspect.getNetworkSettings().getNetworks() != null) {
            ContainerNetwork bridge = inspect.getNetworkSettings().getNetworks().get("bridge");
            if (bridge != null && bridge.getIpAddress() != null && !bridge.getIpAddress().isEmpty()) {
                ip = bridge.getIpAddress();
            }
        }
        String error = state.getError();
        return new ContainerInstance(
                inspect.getId(),
                labels.getOrDefault(ClusterContainers.CONTAINER, ""),
                parseAttempt(labels.get(ClusterContainers.ATTEMPT)),
                inspect.getImageId(),
                state.getStatus() == null ? "unknown" : state.getStatus(),
                Boolean.TRUE.equals(state.getRunning()),
                state.getExitCodeLong() == null ? 0 : state.getExitCodeLong().intValue(),
                Boolean.TRUE.equals(state.getOOMKilled()),
                error == null || error.isEmpty() ? null : error,
                instant(inspect.getCreated()),
                instant(state.getStartedAt()),
                instant(state.getFinishedAt()),
                ip);
    }

    private static int parseAttempt(@Nullable String value) {
        try {
            return value == null ? 0 : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Docker's timestamps, with its zero time ({@code 0001-01-01T00:00:00Z}) as absent. */
    private static @Nullable Instant instant(@Nullable String value) {
        if (value == null || value.isEmpty() || value.startsWith("0001-01-01")) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
