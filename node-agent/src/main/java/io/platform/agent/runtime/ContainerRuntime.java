package io.platform.agent.runtime;

import io.fabric8.kubernetes.api.model.Pod;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;

/**
 * What runs a pod's containers on this node, as the kubelet's CRI runtime service: one sandbox per
 * pod (its network namespace and address), then one instance per start of each container. Every
 * instance is labelled with cluster, node, pod uid, container name and attempt, so the agent finds
 * its containers again after a restart and never touches anything else.
 */
public interface ContainerRuntime extends AutoCloseable {

    /** {@code docker}, {@code process} or {@code simulated}; also the scheme of container and image ids in pod status. */
    String name();

    /**
     * The Node's {@code containerRuntimeVersion}, as {@code <name>://<version>}.
     *
     * @throws RuntimeException with the reason when the runtime does not answer (the Node turns NotReady)
     */
    String version();

    /** Makes the runtime ready to start sandboxes (for Docker: the sandbox image); called once at start. */
    void prepare();

    /** Every instance of the pod's containers, the sandbox included, newest attempt first. */
    List<ContainerInstance> podContainers(String podUid);

    /** Pod uid of every instance this agent created on this node, by instance id. */
    Map<String, String> nodeContainerPods();

    /** Creates and starts the pod's sandbox; returns its id. */
    String startSandbox(Pod pod, int attempt);

    boolean imagePresent(String image);

    /**
     * Pulls {@code image}, with the first of {@code credentials} that the registry accepts.
     *
     * @throws IllegalStateException with the registry's reason when the pull fails
     */
    void pull(String image, List<RegistryCredential> credentials) throws InterruptedException;

    /**
     * Creates and starts one container in the pod's sandbox; returns its id.
     *
     * @throws ContainerStartException when it was created but could not start
     */
    String startContainer(ContainerLaunch launch);

    /** SIGTERM (or the image's stop signal), then SIGKILL once {@code grace} has passed; returns when it stopped. */
    void stop(String containerId, Duration grace);

    /** Removes a stopped or running instance and what the runtime kept of it (logs stay only while it exists). */
    void remove(String containerId);

    /** Calls {@code podUid} whenever an instance of a pod exits or is removed, until the result is closed. */
    Closeable watchExits(Consumer<String> podUid);

    /** The instance's output (stdout and stderr interleaved, as written), ending unless {@code options.follow()}. */
    Flux<byte[]> logs(String containerId, LogOptions options);

    /**
     * Runs {@code command} inside a running container, as {@code kubectl exec}.
     *
     * @throws IOException when the runtime cannot start it (the container stopped, no such executable)
     */
    ExecSession exec(String containerId, ExecRequest request) throws IOException;

    /** Connects to the container's main process streams, as {@code kubectl attach}. */
    ExecSession attach(String containerId, ExecRequest request) throws IOException;

    /** Where this node reaches {@code port} in the pod's network namespace, for port-forward and probes. */
    InetSocketAddress podPort(ContainerInstance sandbox, int port);

    /** The instance's CPU and memory use now, when it is running and the runtime can measure it. */
    Optional<ContainerUsage> usage(String containerId);

    /** Releases the runtime's connections; containers keep running. */
    @Override
    void close();

    /** Credentials for one registry, from a pod's {@code imagePullSecrets} ({@code .dockerconfigjson}). */
    record RegistryCredential(String registry, @Nullable String username, @Nullable String password,
            @Nullable String identityToken) {}
}
