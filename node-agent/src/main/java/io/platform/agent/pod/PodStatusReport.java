package io.platform.agent.pod;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateTerminatedBuilder;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.HostIP;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodReadinessGate;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.platform.agent.runtime.ContainerInstance;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Computes a pod's status from its containers in the runtime, with the kubelet's rules. */
final class PodStatusReport {

    /** Conditions the kubelet owns; every other condition (readiness gates, DisruptionTarget) is kept as it is. */
    private static final Set<String> KUBELET_CONDITIONS =
            Set.of("PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled");

    /** What the agent knows about instances beyond the runtime's word: probe results and termination messages. */
    interface ContainerFacts {
        /** The readiness probe's latest result (true without one). */
        boolean ready(String containerId);

        /** Whether the startup probe has succeeded (true without one). */
        boolean started(String containerId);

        /** The termination message of a stopped instance, when it left one. */
        @Nullable String terminationMessage(ContainerInstance instance);
    }

    private PodStatusReport() {}

    /**
     * @param containers every instance of the pod, newest first
     * @param waiting why a container is not running when the runtime cannot say (pull errors, back-off, config errors),
     *     by container name
     */
    static PodStatus compute(Pod pod, List<ContainerInstance> containers, Map<String, ContainerStateWaiting> waiting,
            ContainerFacts facts, String runtime, String hostIp, Instant now) {
        PodSpec spec = pod.getSpec();
        PodStatus previous = pod.getStatus() == null ? new PodStatus() : pod.getStatus();
        ContainerInstance sandbox = containers.stream()
                .filter(c -> c.isSandbox() && c.running())
                .findFirst()
                .orElse(null);
        String podIp = sandbox == null ? null : sandbox.ipAddress();
        String scheme = runtime + "://";
        List<ContainerStatus> initStatuses = new ArrayList<>();
        for (Container init : initContainers(spec)) {
            initStatuses.add(containerStatus(init.getName(), init.getImage(), containers, waiting.get(init.getName()),
                    facts, scheme, "PodInitializing", !isSidecar(init)));
        }
        boolean initialized = initialized(spec, initStatuses, List.of()).incomplete().isEmpty();
        List<ContainerStatus> statuses = new ArrayList<>();
        for (Container app : spec.getContainers()) {
            statuses.add(containerStatus(app.getName(), app.getImage(), containers, waiting.get(app.getName()), facts,
                    scheme, initialized ? "ContainerCreating" : "PodInitializing", false));
        }
        List<ContainerStatus> ephemeralStatuses = new ArrayList<>();
        if (spec.getEphemeralContainers() != null) {
            for (EphemeralContainer ephemeral : spec.getEphemeralContainers()) {
                ContainerStatus status = containerStatus(ephemeral.getName(), ephemeral.getImage(), containers,
                        waiting.get(ephemeral.getName()), facts, scheme, "ContainerCreating", false);
                // ephemeral containers take no probes and are never ready, as upstream
                status.setReady(false);
                ephemeralStatuses.add(status);
            }
        }
        String phase = phase(spec, initStatuses, statuses);
        boolean terminal = phase.equals("Succeeded") || phase.equals("Failed");
        String timestamp = timestamp(now);
        List<PodCondition> conditions = new ArrayList<>();
        conditions.add(condition(previous, "PodReadyToStartContainers", podIp != null || terminal, null, null, timestamp));
        Verdict init = initialized(spec, initStatuses, statuses);
        conditions.add(condition(previous, "Initialized", init.incomplete().isEmpty(), "ContainersNotInitialized",
                "containers with incomplete status: " + list(init.incomplete()), timestamp));
        Verdict containersReady = containersReady(spec, initStatuses, statuses);
        String notReadyReason = phase.equals("Succeeded") ? "PodCompleted" : phase.equals("Failed") ? "PodFailed" : "ContainersNotReady";
        String notReadyMessage = terminal ? null : "containers with unready status: " + list(containersReady.incomplete());
        boolean allReady = !terminal && containersReady.incomplete().isEmpty();
        List<String> gateProblems = terminal || !allReady ? List.of() : readinessGateProblems(spec, previous);
        if (gateProblems.isEmpty()) {
            conditions.add(condition(previous, "Ready", allReady, notReadyReason, notReadyMessage, timestamp));
        } else {
            conditions.add(condition(previous, "Ready", false, "ReadinessGatesNotReady", String.join(", ", gateProblems),
                    timestamp));
        }
        conditions.add(condition(previous, "ContainersReady", allReady, notReadyReason, notReadyMessage, timestamp));
        conditions.add(condition(previous, "PodScheduled", true, null, null, timestamp));
        if (previous.getConditions() != null) {
            previous.getConditions().stream()
                    .filter(c -> !KUBELET_CONDITIONS.contains(c.getType()))
                    .forEach(conditions::add);
        }
        PodStatusBuilder status = new PodStatusBuilder(previous)
                .withPhase(phase)
                .withConditions(conditions)
                .withInitContainerStatuses(initStatuses)
                .withContainerStatuses(statuses)
                .withEphemeralContainerStatuses(ephemeralStatuses)
                .withQosClass(qosClass(spec))
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

    static List<Container> initContainers(PodSpec spec) {
        return spec.getInitContainers() == null ? List.of() : spec.getInitContainers();
    }

    /** A native sidecar: an init container with {@code restartPolicy: Always}. */
    static boolean isSidecar(Container init) {
        return "Always".equals(init.getRestartPolicy());
    }

    /** The kubelet's {@code getPhase}, native sidecars included. */
    static String phase(PodSpec spec, List<ContainerStatus> initStatuses, List<ContainerStatus> statuses) {
        Map<String, ContainerStatus> byName = new HashMap<>();
        initStatuses.forEach(s -> byName.put(s.getName(), s));
        int pendingInit = 0;
        int pendingSidecars = 0;
        int failedInit = 0;
        int unknown = 0;
        int running = 0;
        int waiting = 0;
        int stopped = 0;
        int succeeded = 0;
        for (Container init : initContainers(spec)) {
            ContainerStatus status = byName.get(init.getName());
            ContainerState state = status == null ? null : status.getState();
            boolean lastTerminated = status != null && status.getLastState() != null
                    && status.getLastState().getTerminated() != null;
            if (isSidecar(init)) {
                if (state == null) {
                    unknown++;
                } else if (state.getRunning() != null) {
                    if (!Boolean.TRUE.equals(status.getStarted())) {
                        pendingSidecars++;
                    }
                    running++;
                } else if (state.getTerminated() == null && !lastTerminated) {
                    // a sidecar that terminated (restarting or stopped at the end) does not count
                    pendingSidecars++;
                    waiting++;
                }
            } else if (state == null || state.getRunning() != null) {
                pendingInit++;
            } else if (state.getTerminated() != null) {
                if (state.getTerminated().getExitCode() != 0) {
                    failedInit++;
                }
            } else if (lastTerminated && status.getLastState().getTerminated().getExitCode() != 0) {
                failedInit++;
            } else {
                pendingInit++;
            }
        }
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
        String restartPolicy = spec.getRestartPolicy() == null ? "Always" : spec.getRestartPolicy();
        if (failedInit > 0 && restartPolicy.equals("Never")) {
            return "Failed";
        }
        if (pendingInit > 0 || pendingSidecars > 0 || waiting > 0) {
            return "Pending";
        }
        if (running > 0 && unknown == 0) {
            return "Running";
        }
        if (running == 0 && stopped > 0 && unknown == 0) {
            if (restartPolicy.equals("Always")) {
                return "Running";
            }
            if (stopped == succeeded) {
                return "Succeeded";
            }
            return restartPolicy.equals("Never") ? "Failed" : "Running";
        }
        return "Pending";
    }

    /** Containers that hold a condition back (unknown ones first, as the kubelet lists them). */
    private record Verdict(List<String> incomplete) {}

    /** The kubelet's {@code GeneratePodInitializedCondition}. */
    private static Verdict initialized(PodSpec spec, List<ContainerStatus> initStatuses, List<ContainerStatus> statuses) {
        // a regular container that has started means the pod was initialized before (init statuses may be gone)
        boolean regularStarted = statuses.stream().anyMatch(s -> s.getState().getRunning() != null
                || s.getState().getTerminated() != null
                || (s.getLastState() != null && s.getLastState().getTerminated() != null));
        if (regularStarted) {
            return new Verdict(List.of());
        }
        List<String> incomplete = new ArrayList<>();
        for (Container init : initContainers(spec)) {
            ContainerStatus status = initStatuses.stream().filter(s -> s.getName().equals(init.getName())).findFirst().orElse(null);
            boolean done;
            if (status == null) {
                done = false;
            } else if (isSidecar(init)) {
                done = Boolean.TRUE.equals(status.getStarted());
            } else {
                done = status.getState().getTerminated() != null && status.getState().getTerminated().getExitCode() == 0;
            }
            if (!done) {
                incomplete.add(init.getName());
            }
        }
        return new Verdict(incomplete);
    }

    /** The kubelet's {@code GenerateContainersReadyCondition}: sidecars and app containers. */
    private static Verdict containersReady(PodSpec spec, List<ContainerStatus> initStatuses, List<ContainerStatus> statuses) {
        List<String> unready = new ArrayList<>();
        for (Container init : initContainers(spec)) {
            if (isSidecar(init)) {
                initStatuses.stream()
                        .filter(s -> s.getName().equals(init.getName()) && !Boolean.TRUE.equals(s.getReady()))
                        .forEach(s -> unready.add(s.getName()));
            }
        }
        statuses.stream().filter(s -> !Boolean.TRUE.equals(s.getReady())).forEach(s -> unready.add(s.getName()));
        return new Verdict(unready);
    }

    /** As the kubelet's {@code GeneratePodReadyCondition}: every readiness gate needs its condition True. */
    private static List<String> readinessGateProblems(PodSpec spec, PodStatus previous) {
        List<String> problems = new ArrayList<>();
        if (spec.getReadinessGates() == null) {
            return problems;
        }
        for (PodReadinessGate gate : spec.getReadinessGates()) {
            String type = gate.getConditionType();
            PodCondition condition = previous.getConditions() == null ? null : previous.getConditions().stream()
                    .filter(c -> type.equals(c.getType()))
                    .findFirst()
                    .orElse(null);
            if (condition == null) {
                problems.add("corresponding condition of pod readiness gate \"" + type + "\" does not exist.");
            } else if (!"True".equals(condition.getStatus())) {
                problems.add("the status of pod readiness gate \"" + type + "\" is not \"True\", but " + condition.getStatus());
            }
        }
        return problems;
    }

    /** Upstream's {@code GetPodQOS} over the defaulted spec: CPU and memory of every container, init containers included. */
    static String qosClass(PodSpec spec) {
        Map<String, BigDecimal> requests = new HashMap<>();
        Map<String, BigDecimal> limits = new HashMap<>();
        boolean guaranteed = true;
        List<Container> all = new ArrayList<>(spec.getContainers());
        all.addAll(initContainers(spec));
        for (Container container : all) {
            ResourceRequirements resources = container.getResources();
            Map<String, Quantity> containerRequests = resources == null || resources.getRequests() == null
                    ? Map.of() : resources.getRequests();
            Map<String, Quantity> containerLimits = resources == null || resources.getLimits() == null
                    ? Map.of() : resources.getLimits();
            for (String name : List.of("cpu", "memory")) {
                // requests default to limits, as the API server's defaulting does before upstream computes the class
                BigDecimal request = amount(containerRequests.getOrDefault(name, containerLimits.get(name)));
                if (request != null) {
                    requests.merge(name, request, BigDecimal::add);
                }
            }
            int limitsFound = 0;
            for (String name : List.of("cpu", "memory")) {
                BigDecimal limit = amount(containerLimits.get(name));
                if (limit != null) {
                    limitsFound++;
                    limits.merge(name, limit, BigDecimal::add);
                }
            }
            if (limitsFound < 2) {
                guaranteed = false;
            }
        }
        if (requests.isEmpty() && limits.isEmpty()) {
            return "BestEffort";
        }
        if (guaranteed) {
            for (Map.Entry<String, BigDecimal> request : requests.entrySet()) {
                BigDecimal limit = limits.get(request.getKey());
                if (limit == null || limit.compareTo(request.getValue()) != 0) {
                    guaranteed = false;
                    break;
                }
            }
        }
        return guaranteed && requests.size() == limits.size() ? "Guaranteed" : "Burstable";
    }

    private static @Nullable BigDecimal amount(@Nullable Quantity quantity) {
        if (quantity == null) {
            return null;
        }
        BigDecimal amount = Quantity.getAmountInBytes(quantity);
        return amount.signum() == 0 ? null : amount;
    }

    /**
     * @param pendingReason the waiting reason of a container with no instance yet
     * @param readyWhenCompleted regular init containers count as ready once they completed successfully
     */
    private static ContainerStatus containerStatus(String name, String image, List<ContainerInstance> containers,
            @Nullable ContainerStateWaiting waiting, ContainerFacts facts, String scheme, String pendingReason,
            boolean readyWhenCompleted) {
        List<ContainerInstance> instances = containers.stream()
                .filter(c -> !c.isSandbox() && c.name().equals(name))
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
                lastState = new ContainerStateBuilder().withTerminated(terminated(earlier, facts, scheme)).build();
            }
        } else if (waiting != null) {
            state = new ContainerStateBuilder().withWaiting(waiting).build();
            if (latest != null && latest.stopped()) {
                lastState = new ContainerStateBuilder().withTerminated(terminated(latest, facts, scheme)).build();
            }
        } else if (latest != null && latest.stopped()) {
            state = new ContainerStateBuilder().withTerminated(terminated(latest, facts, scheme)).build();
            if (earlier != null && earlier.stopped()) {
                lastState = new ContainerStateBuilder().withTerminated(terminated(earlier, facts, scheme)).build();
            }
        } else {
            state = new ContainerStateBuilder().withNewWaiting(null, pendingReason).build();
        }
        boolean running = state.getRunning() != null;
        boolean started = running && latest != null && facts.started(latest.id());
        boolean ready = started && facts.ready(latest.id());
        if (readyWhenCompleted && state.getTerminated() != null) {
            ready = state.getTerminated().getExitCode() == 0;
        }
        ContainerStatusBuilder status = new ContainerStatusBuilder()
                .withName(name)
                .withImage(image)
                .withImageID(latest == null ? "" : scheme + latest.imageId())
                .withReady(ready)
                .withStarted(started)
                .withRestartCount(latest == null ? 0 : latest.attempt())
                .withState(state)
                .withLastState(lastState);
        if (latest != null) {
            status.withContainerID(scheme + latest.id());
        }
        return status.build();
    }

    private static ContainerStateTerminated terminated(ContainerInstance instance, ContainerFacts facts, String scheme) {
        String reason;
        int exitCode = instance.exitCode();
        String message;
        if (instance.error() != null && instance.startedAt() == null) {
            reason = "StartError";
            message = instance.error();
            exitCode = exitCode == 0 ? 128 : exitCode;
        } else {
            reason = instance.oomKilled() ? "OOMKilled" : exitCode == 0 ? "Completed" : "Error";
            message = facts.terminationMessage(instance);
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

    /** Go's {@code fmt} spelling of a string slice, as in the kubelet's condition messages. */
    private static String list(List<String> names) {
        return "[" + String.join(" ", names) + "]";
    }

    static @Nullable String timestamp(@Nullable Instant instant) {
        return instant == null ? null : DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }
}
