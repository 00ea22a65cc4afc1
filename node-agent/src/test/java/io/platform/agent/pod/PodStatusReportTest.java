package io.platform.agent.pod;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PodStatusReportTest {

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
        List<ContainerStatus> statuses = java.util.Arrays.stream(containers.split("\\+")).map(PodStatusReportTest::status).toList();
        assertThat(PodStatusReport.phase(restartPolicy, statuses)).isEqualTo(phase);
    }

    private static ContainerStatus status(String kind) {
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
        return new ContainerStatusBuilder().withName(kind).withState(state.build()).withLastState(last.build()).build();
    }
}
