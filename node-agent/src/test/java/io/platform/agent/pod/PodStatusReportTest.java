package io.platform.agent.pod;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.platform.agent.runtime.ContainerInstance;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class PodStatusReportTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:01:00Z");
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @ParameterizedTest(name = "{0} with {1} -> {2}")
    @CsvSource({
        "Always,    running,              Running",
        "Always,    waiting,              Pending",
        "Always,    exited0,              Running",
        "Always,    running+waiting,      Pending",
        "Always,    crashloop,            Running",
        "Never,     exited0,              Succeeded",
        "Never,     exited1,              Failed",
        "Never,     exited0+exited1,      Failed",
        "Never,     exited0+running,      Running",
        "OnFailure, exited0,              Succeeded",
        "OnFailure, exited1,              Running",
    })
    void phaseFollowsTheKubelet(String restartPolicy, String containers, String phase) {
        List<ContainerStatus> statuses = new ArrayList<>();
        List<Container> specs = new ArrayList<>();
        String[] kinds = containers.split("\\+");
        for (int i = 0; i < kinds.length; i++) {
            statuses.add(status(kinds[i] + i, kinds[i]));
            specs.add(new ContainerBuilder().withName(kinds[i] + i).build());
        }
        PodSpec spec = new PodSpecBuilder().withRestartPolicy(restartPolicy).withContainers(specs).build();
        assertThat(PodStatusReport.phase(spec, List.of(), statuses)).isEqualTo(phase);
    }

    /**
     * One row per situation of init containers and native sidecars: the instances the runtime has (name:state, state
     * one of running, started (running with its startup probe passed), exited0, exited1, exited143), what the agent
     * waits for, and the phase, Initialized condition and each container's state that must result.
     */
    static Stream<Arguments> initContainerSituations() {
        return Stream.of(
                Arguments.of("first init running", "Always", "init1,init2", "",
                        "init1:running", Map.of(),
                        "Pending", "False:containers with incomplete status: [init1 init2]",
                        Map.of("init1", "running", "init2", "waiting:PodInitializing", "app", "waiting:PodInitializing")),
                Arguments.of("second init crash-looping", "Always", "init1,init2", "",
                        "init1:exited0,init2:exited1", Map.of("init2", "CrashLoopBackOff"),
                        "Pending", "False:containers with incomplete status: [init2]",
                        Map.of("init1", "terminated:Completed", "init2", "waiting:CrashLoopBackOff", "app", "waiting:PodInitializing")),
                Arguments.of("init failed, never restarted", "Never", "init1", "",
                        "init1:exited1", Map.of(),
                        "Failed", "False:containers with incomplete status: [init1]",
                        Map.of("init1", "terminated:Error", "app", "waiting:PodInitializing")),
                Arguments.of("initialized, app running", "Always", "init1", "",
                        "init1:exited0,app:started", Map.of(),
                        "Running", "True",
                        Map.of("init1", "terminated:Completed", "app", "running")),
                Arguments.of("sidecar not yet started", "Always", "", "side",
                        "side:running", Map.of(),
                        "Pending", "False:containers with incomplete status: [side]",
                        Map.of("side", "running", "app", "waiting:PodInitializing")),
                Arguments.of("sidecar beside the app", "Never", "", "side",
                        "side:started,app:started", Map.of(),
                        "Running", "True",
                        Map.of("side", "running", "app", "running")),
                Arguments.of("app completed, sidecar still running", "Never", "", "side",
                        "side:started,app:exited0", Map.of(),
                        "Running", "True",
                        Map.of("side", "running", "app", "terminated:Completed")),
                Arguments.of("app completed, sidecar stopped after it", "Never", "", "side",
                        "side:exited143,app:exited0", Map.of(),
                        "Succeeded", "True",
                        Map.of("side", "terminated:Error", "app", "terminated:Completed")),
                Arguments.of("app failed, sidecar stopped after it", "OnFailure", "init1", "side",
                        "init1:exited0,side:exited143,app:exited1", Map.of(),
                        "Running", "True",
                        Map.of("init1", "terminated:Completed", "side", "terminated:Error", "app", "terminated:Error")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("initContainerSituations")
    void initContainersAndSidecars(String situation, String restartPolicy, String inits, String sidecars, String instances,
            Map<String, String> waitingReasons, String phase, String initialized, Map<String, String> states) {
        List<Container> initContainers = new ArrayList<>();
        for (String name : sidecars.isEmpty() ? new String[0] : sidecars.split(",")) {
            initContainers.add(new ContainerBuilder().withName(name).withImage("busybox").withRestartPolicy("Always").build());
        }
        for (String name : inits.isEmpty() ? new String[0] : inits.split(",")) {
            initContainers.add(new ContainerBuilder().withName(name).withImage("busybox").build());
        }
        Pod pod = pod(new PodSpecBuilder().withRestartPolicy(restartPolicy).withInitContainers(initContainers)
                .withContainers(new ContainerBuilder().withName("app").withImage("busybox").build()).build());
        List<ContainerInstance> runtime = new ArrayList<>();
        runtime.add(sandbox());
        Set<String> notStarted = new java.util.HashSet<>();
        for (String entry : instances.split(",")) {
            String[] parts = entry.split(":");
            runtime.add(instance(parts[0], parts[1]));
            if (parts[1].equals("running")) {
                notStarted.add(parts[0]);
            }
        }
        Map<String, ContainerStateWaiting> waiting = new HashMap<>();
        waitingReasons.forEach((name, reason) -> waiting.put(name, new ContainerStateWaiting("because", reason)));

        PodStatus status = PodStatusReport.compute(pod, runtime, waiting, facts(Set.of(), notStarted), "docker", "10.0.0.1", NOW);

        assertThat(status.getPhase()).as("phase").isEqualTo(phase);
        PodCondition init = condition(status, "Initialized");
        assertThat(init.getStatus() + (init.getMessage() == null ? "" : ":" + init.getMessage())).isEqualTo(initialized);
        if (init.getStatus().equals("False")) {
            assertThat(init.getReason()).isEqualTo("ContainersNotInitialized");
        }
        List<ContainerStatus> all = new ArrayList<>(status.getInitContainerStatuses());
        all.addAll(status.getContainerStatuses());
        Map<String, String> actual = new HashMap<>();
        all.forEach(s -> actual.put(s.getName(), describe(s)));
        assertThat(actual).containsExactlyInAnyOrderEntriesOf(states);
    }

    @Test
    void completedInitContainersAreReadyAndSidecarsCountForContainersReady() {
        Pod pod = pod(new PodSpecBuilder()
                .withInitContainers(new ContainerBuilder().withName("init").withImage("busybox").build(),
                        new ContainerBuilder().withName("side").withImage("busybox").withRestartPolicy("Always").build())
                .withContainers(new ContainerBuilder().withName("app").withImage("busybox").build()).build());
        List<ContainerInstance> runtime = List.of(sandbox(), instance("init", "exited0"), instance("side", "started"),
                instance("app", "started"));

        PodStatus unreadySidecar = PodStatusReport.compute(pod, runtime, Map.of(), facts(Set.of("side"), Set.of()), "docker",
                "10.0.0.1", NOW);
        PodStatus allReady = PodStatusReport.compute(pod, runtime, Map.of(), facts(Set.of(), Set.of()), "docker", "10.0.0.1", NOW);

        assertThat(unreadySidecar.getInitContainerStatuses()).extracting(ContainerStatus::getReady).containsExactly(true, false);
        assertThat(unreadySidecar.getInitContainerStatuses()).extracting(ContainerStatus::getStarted).containsExactly(false, true);
        assertThat(condition(unreadySidecar, "ContainersReady").getMessage()).isEqualTo("containers with unready status: [side]");
        assertThat(condition(unreadySidecar, "Ready").getReason()).isEqualTo("ContainersNotReady");
        assertThat(condition(allReady, "Ready").getStatus()).isEqualTo("True");
        assertThat(condition(allReady, "ContainersReady").getStatus()).isEqualTo("True");
        assertThat(allReady.getConditions()).extracting(PodCondition::getType)
                .containsExactly("PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled");
    }

    @Test
    void readinessFailureAndStartupProbeShowInContainerStatus() {
        Pod pod = pod(new PodSpecBuilder().withContainers(new ContainerBuilder().withName("app").withImage("busybox").build()).build());
        List<ContainerInstance> runtime = List.of(sandbox(), instance("app", "started"));

        PodStatus notReady = PodStatusReport.compute(pod, runtime, Map.of(), facts(Set.of("app"), Set.of()), "docker", "10.0.0.1", NOW);
        PodStatus notStarted = PodStatusReport.compute(pod, runtime, Map.of(), facts(Set.of(), Set.of("app")), "docker", "10.0.0.1", NOW);

        assertThat(notReady.getContainerStatuses().getFirst().getReady()).isFalse();
        assertThat(notReady.getContainerStatuses().getFirst().getStarted()).isTrue();
        assertThat(condition(notReady, "Ready").getStatus()).isEqualTo("False");
        assertThat(condition(notReady, "Ready").getMessage()).isEqualTo("containers with unready status: [app]");
        assertThat(notReady.getPhase()).isEqualTo("Running");
        assertThat(notStarted.getContainerStatuses().getFirst().getStarted()).isFalse();
        assertThat(notStarted.getContainerStatuses().getFirst().getReady()).isFalse();
    }

    @ParameterizedTest(name = "gates {0} with conditions {1} -> Ready {2}")
    @CsvSource(delimiter = '|', value = {
        "                 |                         | True  |",
        "example.com/lb   |                         | False | corresponding condition of pod readiness gate \"example.com/lb\" does not exist.",
        "example.com/lb   | example.com/lb=False    | False | the status of pod readiness gate \"example.com/lb\" is not \"True\", but False",
        "example.com/lb   | example.com/lb=True     | True  |",
        "a.io/x,b.io/y    | a.io/x=True             | False | corresponding condition of pod readiness gate \"b.io/y\" does not exist.",
    })
    void readinessGatesHoldReadyBack(@Nullable String gates, @Nullable String existing, String ready, @Nullable String message) {
        PodSpecBuilder spec = new PodSpecBuilder().withContainers(new ContainerBuilder().withName("app").withImage("busybox").build());
        if (gates != null) {
            Arrays.stream(gates.split(",")).forEach(gate -> spec.addNewReadinessGate(gate));
        }
        Pod pod = pod(spec.build());
        if (existing != null) {
            String[] parts = existing.split("=");
            pod.getStatus().getConditions().add(new PodConditionBuilder().withType(parts[0]).withStatus(parts[1]).build());
        }

        PodStatus status = PodStatusReport.compute(pod, List.of(sandbox(), instance("app", "started")), Map.of(),
                facts(Set.of(), Set.of()), "docker", "10.0.0.1", NOW);

        PodCondition readyCondition = condition(status, "Ready");
        assertThat(readyCondition.getStatus()).isEqualTo(ready);
        assertThat(readyCondition.getMessage()).isEqualTo(message);
        if (message != null) {
            assertThat(readyCondition.getReason()).isEqualTo("ReadinessGatesNotReady");
        }
        assertThat(condition(status, "ContainersReady").getStatus()).isEqualTo("True");
        if (existing != null) {
            // conditions others own (the readiness gates') are kept
            assertThat(status.getConditions()).extracting(PodCondition::getType).contains(existing.split("=")[0]);
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "-                                         | BestEffort",
        "requests cpu=100m                         | Burstable",
        "limits cpu=1,memory=1Gi                   | Guaranteed",
        "limits cpu=1,memory=1Gi; requests cpu=1,memory=1Gi | Guaranteed",
        "limits cpu=1,memory=1Gi; requests cpu=500m,memory=1Gi | Burstable",
        "limits cpu=1                              | Burstable",
        "limits cpu=1,memory=1Gi + -               | Burstable",
        "limits cpu=1,memory=1Gi + limits cpu=2,memory=2Gi | Guaranteed",
        "requests cpu=0                            | BestEffort",
    })
    void qosClassAsUpstream(String containers, String qos) {
        List<Container> specs = new ArrayList<>();
        int i = 0;
        for (String container : containers.split("\\+")) {
            ResourceRequirementsBuilder resources = new ResourceRequirementsBuilder();
            for (String part : container.trim().split(";")) {
                part = part.trim();
                if (part.equals("-")) {
                    continue;
                }
                String[] kindAndValues = part.split(" ");
                Map<String, Quantity> values = new HashMap<>();
                for (String value : kindAndValues[1].split(",")) {
                    values.put(value.split("=")[0], new Quantity(value.split("=")[1]));
                }
                if (kindAndValues[0].equals("limits")) {
                    resources.withLimits(values);
                } else {
                    resources.withRequests(values);
                }
            }
            specs.add(new ContainerBuilder().withName("c" + i++).withResources(resources.build()).build());
        }
        assertThat(PodStatusReport.qosClass(new PodSpecBuilder().withContainers(specs).build())).isEqualTo(qos);
    }

    @Test
    void terminatedStatesCarryReasonsAndTerminationMessages() {
        Pod pod = pod(new PodSpecBuilder().withRestartPolicy("Never")
                .withContainers(new ContainerBuilder().withName("app").withImage("busybox").build(),
                        new ContainerBuilder().withName("oom").withImage("busybox").build()).build());
        ContainerInstance oom = new ContainerInstance("oom-0", "oom", 0, "sha256:1", "exited", false, 137, true, null, T0, T0,
                T0.plusSeconds(5), null);
        PodStatusReport.ContainerFacts facts = new PodStatusReport.ContainerFacts() {
            @Override
            public boolean ready(String containerId) {
                return true;
            }

            @Override
            public boolean started(String containerId) {
                return true;
            }

            @Override
            public @Nullable String terminationMessage(ContainerInstance instance) {
                return instance.name().equals("app") ? "all done" : null;
            }
        };

        PodStatus status = PodStatusReport.compute(pod, List.of(sandbox(), instance("app", "exited0"), oom), Map.of(), facts,
                "docker", "10.0.0.1", NOW);

        assertThat(status.getContainerStatuses().get(0).getState().getTerminated().getMessage()).isEqualTo("all done");
        assertThat(status.getContainerStatuses().get(1).getState().getTerminated().getReason()).isEqualTo("OOMKilled");
        assertThat(status.getPhase()).isEqualTo("Failed");
        assertThat(condition(status, "Ready").getReason()).isEqualTo("PodFailed");
    }

    @Test
    void ephemeralContainersAreReportedNeverReady() {
        Pod pod = pod(new PodSpecBuilder()
                .withContainers(new ContainerBuilder().withName("app").withImage("busybox").build())
                .addNewEphemeralContainer().withName("debugger").withImage("busybox").endEphemeralContainer()
                .build());

        PodStatus status = PodStatusReport.compute(pod, List.of(sandbox(), instance("app", "started"), instance("debugger", "started")),
                Map.of(), facts(Set.of(), Set.of()), "docker", "10.0.0.1", NOW);

        assertThat(status.getEphemeralContainerStatuses()).singleElement().satisfies(s -> {
            assertThat(s.getName()).isEqualTo("debugger");
            assertThat(s.getState().getRunning()).isNotNull();
            assertThat(s.getReady()).isFalse();
        });
        assertThat(condition(status, "Ready").getStatus()).isEqualTo("True");
    }

    private static Pod pod(PodSpec spec) {
        return new PodBuilder().withNewMetadata().withName("p").withNamespace("default").withUid("uid-1").endMetadata()
                .withSpec(spec)
                .withNewStatus().withConditions(new ArrayList<>()).endStatus()
                .build();
    }

    private static ContainerInstance sandbox() {
        return new ContainerInstance("sandbox", ContainerInstance.SANDBOX, 0, "sha256:0", "running", true, 0, false, null, T0, T0,
                null, "10.1.0.5");
    }

    private static ContainerInstance instance(String name, String state) {
        return switch (state) {
            case "running", "started" -> new ContainerInstance(name + "-id", name, 0, "sha256:1", "running", true, 0, false, null,
                    T0, T0, null, null);
            case "exited0", "exited1", "exited143" -> new ContainerInstance(name + "-id", name, 0, "sha256:1", "exited", false,
                    Integer.parseInt(state.substring(6)), false, null, T0, T0, T0.plusSeconds(3), null);
            default -> throw new IllegalArgumentException(state);
        };
    }

    /** Probe results: containers (by instance id {@code name-id}) not ready and not started. */
    private static PodStatusReport.ContainerFacts facts(Set<String> unready, Set<String> notStarted) {
        return new PodStatusReport.ContainerFacts() {
            @Override
            public boolean ready(String containerId) {
                return !unready.contains(containerId.replace("-id", ""));
            }

            @Override
            public boolean started(String containerId) {
                return !notStarted.contains(containerId.replace("-id", ""));
            }

            @Override
            public @Nullable String terminationMessage(ContainerInstance instance) {
                return null;
            }
        };
    }

    private static PodCondition condition(PodStatus status, String type) {
        return status.getConditions().stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
    }

    private static String describe(ContainerStatus status) {
        if (status.getState().getRunning() != null) {
            return "running";
        }
        if (status.getState().getTerminated() != null) {
            return "terminated:" + status.getState().getTerminated().getReason();
        }
        return "waiting:" + status.getState().getWaiting().getReason();
    }

    private static ContainerStatus status(String name, String kind) {
        ContainerStateBuilder state = new ContainerStateBuilder();
        ContainerStateBuilder last = new ContainerStateBuilder();
        switch (kind) {
            case "running" -> state.withNewRunning("2026-01-01T00:00:00Z");
            case "waiting" -> state.withNewWaiting(null, "ContainerCreating");
            case "exited0" -> state.withNewTerminated().withExitCode(0).endTerminated();
            case "exited1" -> state.withNewTerminated().withExitCode(1).endTerminated();
            case "crashloop" -> {
                state.withNewWaiting("back-off", "CrashLoopBackOff");
                last.withNewTerminated().withExitCode(1).endTerminated();
            }
            default -> throw new IllegalArgumentException(kind);
        }
        return new ContainerStatusBuilder().withName(name).withState(state.build()).withLastState(last.build()).build();
    }
}
