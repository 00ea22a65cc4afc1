package io.platform.agent;

import io.platform.agent.docker.DockerEngines;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Configuration of the node agent ({@code platform.agent.*}).
 *
 * @param kubeconfig the agent's kubeconfig (user {@code system:node:<node>})
 * @param bootstrapKubeconfig a kubeconfig with a bootstrap token, used to request the client certificate of
 *     {@code kubeconfig} when that is missing or expired (the kubelet's {@code --bootstrap-kubeconfig}); see
 *     {@code platform.agent.bootstrap.*}
 * @param nodeName the Node this agent registers and whose pods it runs
 * @param address InternalIP published in the Node status and the address its HTTPS API listens on
 * @param clusterId the cluster id put on every container as {@code io.platform.cluster}
 * @param tlsCert PEM serving certificate of the agent's API
 * @param tlsKey PEM key of {@code tlsCert}
 * @param clientCa PEM CA that must have signed the API server's client certificate
 * @param runtime what runs the pods: {@code docker}, {@code process}, {@code simulated}, or {@code auto} (docker when its
 *     engine answers, else process)
 * @param dockerHost Docker engine endpoint; {@code DOCKER_HOST} or the default socket when unset
 * @param sandboxImage the locally built pod sandbox image (never pulled)
 * @param busyboxBinary host busybox used to build the sandbox image
 * @param heartbeatInterval how often the Node's Ready condition is refreshed
 * @param leaseInterval how often the node Lease is renewed
 * @param leaseDuration the Lease's {@code leaseDurationSeconds}
 * @param resyncInterval how often every pod is synced again even without events
 * @param orphanInterval how often containers of pods no longer bound here are removed
 * @param retryInterval delay before a pod whose sync hit an error is synced again
 * @param restartBackOff restart back-off of exited containers (CrashLoopBackOff)
 * @param imagePullBackOff back-off between failed pulls of one image (ImagePullBackOff)
 * @param imagePullTimeout how long one pull may take
 * @param containerLogMaxSize size at which a container's log file is rotated (Docker's {@code max-size} spelling)
 * @param containerLogMaxFiles how many log files a container keeps, the current one included
 * @param imageGc when unused images are removed (Docker runtime)
 * @param capacity overrides of the capacity read from the host
 * @param rootDir where pod volumes are written ({@code pods/<uid>/volumes/...}), as the kubelet's
 *     {@code --root-dir}; the Docker engine must see the same path, since the volumes are bind-mounted
 * @param process the process runtime's settings ({@code platform.agent.process.*})
 */
@ConfigurationProperties("platform.agent")
public record AgentProperties(
        Path kubeconfig,
        @Nullable Path bootstrapKubeconfig,
        String nodeName,
        @DefaultValue("127.0.0.1") String address,
        String clusterId,
        Path tlsCert,
        Path tlsKey,
        Path clientCa,
        @DefaultValue("auto") String runtime,
        @Nullable String dockerHost,
        @DefaultValue("platform.local/pause:1") String sandboxImage,
        @DefaultValue("/bin/busybox") Path busyboxBinary,
        @DefaultValue("10s") Duration heartbeatInterval,
        @DefaultValue("10s") Duration leaseInterval,
        @DefaultValue("40s") Duration leaseDuration,
        @DefaultValue("10s") Duration resyncInterval,
        @DefaultValue("60s") Duration orphanInterval,
        @DefaultValue("2s") Duration retryInterval,
        @DefaultValue BackOffSettings restartBackOff,
        @DefaultValue BackOffSettings imagePullBackOff,
        @DefaultValue("2m") Duration imagePullTimeout,
        @DefaultValue("10m") String containerLogMaxSize,
        @DefaultValue("5") int containerLogMaxFiles,
        @DefaultValue ImageGc imageGc,
        @DefaultValue Capacity capacity,
        @DefaultValue("./.platform/node-agent") Path rootDir,
        @DefaultValue Process process) {

    /** The Docker endpoint to use: the configured one, else {@code DOCKER_HOST}, else the default socket. */
    public String effectiveDockerHost() {
        return dockerHost == null || dockerHost.isBlank() ? DockerEngines.defaultHost() : dockerHost;
    }

    /**
     * Exponential back-off as the kubelet's: starts at {@code initial}, doubles up to {@code max}.
     *
     * @param resetAfter a container that ran at least this long before it exited restarts with the back-off started
     *     over (the kubelet's 10 minutes; restarts only)
     */
    public record BackOffSettings(@DefaultValue("10s") Duration initial, @DefaultValue("5m") Duration max,
            @DefaultValue("10m") Duration resetAfter) {}

    /**
     * Image garbage collection as the kubelet's {@code imageGCHighThresholdPercent}/{@code imageGCLowThresholdPercent}/
     * {@code imageMinimumGCAge}.
     *
     * @param pinnedImages references never removed (a trailing {@code *} matches a prefix); the sandbox image always is
     */
    public record ImageGc(
            @DefaultValue("85") int highThresholdPercent,
            @DefaultValue("80") int lowThresholdPercent,
            @DefaultValue("2m") Duration minimumAge,
            @DefaultValue("5m") Duration interval,
            @DefaultValue List<String> pinnedImages) {}

    /**
     * The process runtime ({@code platform.agent.runtime=process}): containers as host processes.
     *
     * @param isolate as root, give every pod its own network namespace (on {@code bridge}, an address from
     *     {@code podCidr}) and every container its own mount namespace and cgroups with its limits; false, or not
     *     root: plain host processes in the node's network
     * @param podCidr where pod addresses come from; the first address is the bridge's (the pods' gateway)
     * @param bridge the Linux bridge the pods' veth pairs join
     * @param logMaxSize size at which a container's log file is rotated
     * @param logMaxFiles how many log files a container keeps, the current one included
     * @param exitPollInterval how often instances are checked for exits the agent did not see happen
     * @param logPollInterval how often a followed log file is read again for new lines
     * @param stopCheckInterval how often a stopping container is checked while its grace period runs
     * @param perl the interpreter of the supervisor that writes a container's log and records its exit
     */
    public record Process(
            @DefaultValue("true") boolean isolate,
            @DefaultValue("10.88.0.0/16") String podCidr,
            @DefaultValue("platform0") String bridge,
            @DefaultValue("10MB") DataSize logMaxSize,
            @DefaultValue("5") int logMaxFiles,
            @DefaultValue("500ms") Duration exitPollInterval,
            @DefaultValue("250ms") Duration logPollInterval,
            @DefaultValue("100ms") Duration stopCheckInterval,
            @DefaultValue("/usr/bin/perl") Path perl) {}

    /** Node capacity overrides (Kubernetes quantities); unset values are read from the host. */
    public record Capacity(
            @Nullable String cpu,
            @Nullable String memory,
            @DefaultValue("110") String pods,
            @Nullable String ephemeralStorage) {}
}
