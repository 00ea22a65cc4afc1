package io.platform.console.overview;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** One line of the pods grid, with the columns of {@code kubectl get pods -A -o wide}. */
public record PodRow(String namespace, String name, String status, String ready, int restarts, String node,
        String ip, String age) {

    static PodRow from(Pod pod, Instant now) {
        PodStatus status = Optional.ofNullable(pod.getStatus()).orElseGet(PodStatus::new);
        List<ContainerStatus> containers = Optional.ofNullable(status.getContainerStatuses()).orElse(List.of());
        int total = pod.getSpec() == null || pod.getSpec().getContainers() == null
                ? containers.size()
                : pod.getSpec().getContainers().size();
        long ready = containers.stream().filter(c -> Boolean.TRUE.equals(c.getReady())).count();
        int restarts = containers.stream().mapToInt(c -> c.getRestartCount() == null ? 0 : c.getRestartCount()).sum();
        return new PodRow(
                pod.getMetadata().getNamespace(),
                pod.getMetadata().getName(),
                displayStatus(pod),
                ready + "/" + total,
                restarts,
                orEmpty(pod.getSpec() == null ? null : pod.getSpec().getNodeName()),
                orEmpty(status.getPodIP()),
                Ages.since(pod.getMetadata().getCreationTimestamp(), now));
    }

    /**
     * The STATUS column as kubectl prints it: the pod's reason or phase, overridden by an init
     * container still at work ({@code Init:...}), then by the reason a container is waiting or
     * terminated, and {@code Terminating} once deletion started.
     */
    static String displayStatus(Pod pod) {
        PodStatus status = Optional.ofNullable(pod.getStatus()).orElseGet(PodStatus::new);
        String reason = status.getReason() != null ? status.getReason()
                : status.getPhase() != null ? status.getPhase() : "Pending";
        List<ContainerStatus> inits = Optional.ofNullable(status.getInitContainerStatuses()).orElse(List.of());
        int initTotal = pod.getSpec() == null || pod.getSpec().getInitContainers() == null
                ? inits.size()
                : pod.getSpec().getInitContainers().size();
        boolean initializing = false;
        for (int i = 0; i < inits.size(); i++) {
            ContainerStatus init = inits.get(i);
            ContainerStateTerminated terminated = init.getState() == null ? null : init.getState().getTerminated();
            ContainerStateWaiting waiting = init.getState() == null ? null : init.getState().getWaiting();
            if (terminated != null && Integer.valueOf(0).equals(terminated.getExitCode())) {
                continue;
            }
            initializing = true;
            if (terminated != null) {
                reason = "Init:" + (terminated.getReason() != null ? terminated.getReason()
                        : terminated.getSignal() != null && terminated.getSignal() != 0
                                ? "Signal:" + terminated.getSignal()
                                : "ExitCode:" + terminated.getExitCode());
            } else if (waiting != null && waiting.getReason() != null && !"PodInitializing".equals(waiting.getReason())) {
                reason = "Init:" + waiting.getReason();
            } else {
                reason = "Init:" + i + "/" + initTotal;
            }
            break;
        }
        if (!initializing) {
            List<ContainerStatus> containers = Optional.ofNullable(status.getContainerStatuses()).orElse(List.of());
            for (ContainerStatus container : containers.reversed()) {
                ContainerStateWaiting waiting = container.getState() == null ? null : container.getState().getWaiting();
                ContainerStateTerminated terminated =
                        container.getState() == null ? null : container.getState().getTerminated();
                if (waiting != null && waiting.getReason() != null && !waiting.getReason().isEmpty()) {
                    reason = waiting.getReason();
                } else if (terminated != null) {
                    reason = terminated.getReason() != null ? terminated.getReason()
                            : terminated.getSignal() != null && terminated.getSignal() != 0
                                    ? "Signal:" + terminated.getSignal()
                                    : "ExitCode:" + terminated.getExitCode();
                }
            }
        }
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            reason = "NodeLost".equals(status.getReason()) ? "Unknown" : "Terminating";
        }
        return reason;
    }

    private static String orEmpty(@Nullable String value) {
        return value == null ? "" : value;
    }
}
