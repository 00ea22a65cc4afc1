package io.platform.agent.pod;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateTerminatedBuilder;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.HostIP;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.platform.agent.runtime.ContainerInstance;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Computes a pod's status from its containers in the engine, with the kubelet's rules. */
final class PodStatusReport {

    private PodStatusReport() {}

    /**
     * @param containers every instance of the pod, newest first
     * @param waiting why a container is not running when the engine cannot say (pull errors,
     *     back-off, config errors), by container name
     */
    static PodStatus compute(Pod pod, List<ContainerInstance> containers, Map<String, ContainerStateWaiting> waiting,
            String runtime, String hostIp, Instant now) {
        PodStatus previous = pod.getStatus() == null ? new PodStatus() : pod.getStatus();
        ContainerInstance sandbox = containers.stream()
                .filter(c -> c.isSandbox() && c.running())
                .findFirst()
                .orElse(null);
        String podIp = sandbox == null ? null : sandbox.ipAddress();
        List<ContainerStatus> statuses = new ArrayList<>();
        for (Container spec : pod.getSpec().getContainers()) {
            statuses.add(containerStatus(spec, containers, waiting.get(spec.getName()), runtime + "://"));
        }
        String phase = phase(pod.getSpec().getRestartPolicy(), statuses);
        boolean terminal = phase.equals("Succeeded") || phase.equals("Failed");
        List<String> unready = statuses.stream()
                .filter(s -> !Boolean.TRUE.equals(s.getReady()))
                .map(ContainerStatus::getName)
                .toList();
        String timestamp = timestamp(now);
        List<PodCondition> conditions = new ArrayList<>();
        conditions.add(condition(previous, "PodReadyToStartContainers", podIp != null || terminal, null, null, timestamp));
        conditions.add(condition(previous, "Initialized", true, null, null, timestamp));
        String notReadyReason = terminal ? "PodCompleted" : "ContainersNotReady";
        String notReadyMessage = terminal ? null : "containers with unready status: [" + String.join(" ", unready) + "]";
        conditions.add(condition(previous, "Ready", unready.isEmpty(), notReadyReason, notReadyMessage, timestamp));
        conditions.add(condition(previous, "ContainersReady", unready.isEmpty(), notReadyReason, notReadyMessage, timestamp));
        conditions.add(condition(previous, "PodScheduled", true, null, null, timestamp));
        PodStatusBuilder status = new PodStatusBuilder(previous)
                .withPhase(phase)
                .withConditions(conditions)
                .withContainerStatuses(statuses)
                .withHostIP(hostIp)
                .withHostIPs(new HostIP(hostIp))
                .withStartTime(previous.getStartTime() != null ? previous.getStartTime() : timestamp);
        if (podIp != null) {
            status.withPodIP(podIp).withPodIPs(new PodIP(podIp));
        } else if (!terminal) {
            status.withPodIP(null).withPodIPs(List.of());
        }
        return status.build();
    }

    /** The kubelet's {@code getPhase} for pods without init containers. */
    static String phase(@Nullable String restartPolicy, List<ContainerStatus> statuses) {
        int running = 0;
        int waiting = 0;
        int stopped = 0;
        int succeeded = 0;
        for (ContainerStatus status : statuses) {
            ContainerState state = status.getState();
            if (state.getRunning() != null) {
                running++;
            } else if (state.getTerminated() != null) {
                stopped++;
                if (state.getTerminated().getExitCode() == 0) {
                    succeeded++;
                }
            } else if (status.getLastState() != null && status.getLastState().getTerminated() != null) {
                stopped++;
            } else {
                waiting++;
            }
        }
        if (waiting > 0) {
            return "Pending";
        }
        if (running > 0) {
            return "Running";
        }
        if (stopped > 0) {
            if ("Never".equals(restartPolicy)) {
                return stopped == succeeded ? "Succeeded" : "Failed";
            }
            if ("OnFailure".equals(restartPolicy) && stopped == succeeded) {
                return "Succeeded";
            }
            return "Running";
        }
        return "Pending";
    }

    private static ContainerStatus containerStatus(Container spec, List<ContainerInstance> containers,
            @Nullable ContainerStateWaiting waiting, String scheme) {
        List<ContainerInstance> instances = containers.stream()
                .filter(c -> !c.isSandbox() && c.name().equals(spec.getName()))
                .toList();
        ContainerInstance latest = instances.isEmpty() ? null : instances.getFirst();
        ContainerInstance earlier = instances.size() > 1 ? instances.get(1) : null;
        ContainerState state;
        ContainerState lastState = new ContainerState();
        if (latest != null && latest.running()) {
            state = new ContainerStateBuilder()
                    .withNewRunning(timestamp(latest.startedAt()))
                    .build();
            if (earlier != null && earlier.stopped()) {
                lastState = new ContainerStateBuilder().withTerminated(terminated(earlier, scheme)).build();
            }
        } else if (waiting != null) {
            state = new ContainerStateBuilder().withWaiting(waiting).build();
            if (latest != null && latest.stopped()) {
                lastState = new ContainerStateBuilder().withTerminated(terminated(latest, scheme)).build();
            }
        } else if (latest != null && latest.stopped()) {
            state = new ContainerStateBuilder().withTerminated(terminated(latest, scheme)).build();
            if (earlier != null && earlier.stopped()) {
                lastState = new ContainerStateBuilder().withTerminated(terminated(earlier, scheme)).build();
            }
        } else {
            state = new ContainerStateBuilder().withNewWaiting(null, "ContainerCreating").build();
        }
        boolean running = state.getRunning() != null;
        ContainerStatusBuilder status = new ContainerStatusBuilder()
                .withName(spec.getName())
                .withImage(spec.getImage())
                .withImageID(latest == null ? "" : scheme + latest.imageId())
                .withReady(running)
                .withStarted(running)
                .withRestartCount(latest == null ? 0 : latest.attempt())
                .withState(state)
                .withLastState(lastState);
        if (latest != null) {
            status.withContainerID(scheme + latest.id());
        }
        return status.build();
    }

    private static ContainerStateTerminated terminated(ContainerInstance instance, String scheme) {
        String reason;
        int exitCode = instance.exitCode();
        String message = null;
        if (instance.error() != null && instance.startedAt() == null) {
            reason = "StartError";
            message = instance.error();
            exitCode = exitCode == 0 ? 128 : exitCode;
        } else if (instance.oomKilled()) {
            reason = "OOMKilled";
        } else {
            reason = exitCode == 0 ? "Completed" : "Error";
        }
        return new ContainerStateTerminatedBuilder()
                .withExitCode(exitCode)
                .withReason(reason)
                .withMessage(message)
                .withStartedAt(timestamp(instance.startedAt()))
                .withFinishedAt(timestamp(instance.stoppedAt()))
                .withContainerID(scheme + instance.id())
                .build();
    }

    /** A condition whose lastTransitionTime moves only when its status changes. */
    private static PodCondition condition(PodStatus previous, String type, boolean value, @Nullable String falseReason,
            @Nullable String falseMessage, String now) {
        String status = value ? "True" : "False";
        String transition = now;
        if (previous.getConditions() != null) {
            for (PodCondition old : previous.getConditions()) {
                if (type.equals(old.getType()) && status.equals(old.getStatus()) && old.getLastTransitionTime() != null) {
                    transition = old.getLastTransitionTime();
                }
            }
        }
        return new PodConditionBuilder()
                .withType(type)
                .withStatus(status)
                .withReason(value ? null : falseReason)
                .withMessage(value ? null : falseMessage)
                .withLastTransitionTime(transition)
                .build();
    }

    static @Nullable String timestamp(@Nullable Instant instant) {
        return instant == null ? null : DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }
}
