package io.platform.agent.process;

import io.platform.agent.runtime.ContainerInstance;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What the process runtime keeps of one instance (a pod's sandbox or one start of a container), as a JSON file that
 * outlives the agent.
 *
 * @param labels the cluster, node, pod and container labels every runtime puts on its instances
 * @param netns the sandbox's network namespace (isolated sandboxes only)
 * @param hostVeth the host end of the sandbox's veth pair
 * @param command what the supervisor runs (after the namespace and mount set-up when isolated)
 * @param env the container's environment, for exec
 * @param cgroups the container's cgroup directories, one per controller
 * @param mountPoints the container paths its volumes are mounted at (isolated)
 * @param createdPaths host paths the runtime created as mount points for it, parents first, removed with it when no
 *     other container mounts there
 * @param supervisorPid the supervisor, whose life is the instance's: it records the exit when the command ends
 * @param supervisorStart its {@code /proc} start time, against pid reuse
 * @param pid the container's main process (its process group)
 * @param pidStart its {@code /proc} start time
 */
record InstanceRecord(
        String id,
        String podUid,
        String container,
        int attempt,
        String image,
        Instant createdAt,
        Map<String, String> labels,
        @Nullable String netns,
        @Nullable String ipAddress,
        @Nullable String hostVeth,
        @Nullable String logPath,
        List<String> command,
        List<String> env,
        String workingDir,
        List<String> cgroups,
        List<String> mountPoints,
        List<String> createdPaths,
        @Nullable Long supervisorPid,
        @Nullable Long supervisorStart,
        @Nullable Long pid,
        @Nullable Long pidStart,
        @Nullable Instant startedAt,
        @Nullable Integer exitCode,
        @Nullable Instant finishedAt,
        boolean oomKilled,
        @Nullable String error) {

    boolean sandbox() {
        return ContainerInstance.SANDBOX.equals(container);
    }

    boolean finished() {
        return exitCode != null;
    }

    InstanceRecord started(long supervisor, long supervisorTicks, long mainPid, long mainTicks, Instant at) {
        return new InstanceRecord(id, podUid, container, attempt, image, createdAt, labels, netns, ipAddress, hostVeth,
                logPath, command, env, workingDir, cgroups, mountPoints, createdPaths, supervisor, supervisorTicks, mainPid, mainTicks, at, exitCode,
                finishedAt, oomKilled, error);
    }

    InstanceRecord exited(int code, Instant at, boolean oom, @Nullable String why) {
        return new InstanceRecord(id, podUid, container, attempt, image, createdAt, labels, netns, ipAddress, hostVeth,
                logPath, command, env, workingDir, cgroups, mountPoints, createdPaths, supervisorPid, supervisorStart, pid, pidStart, startedAt, code,
                at, oom, why);
    }
}
