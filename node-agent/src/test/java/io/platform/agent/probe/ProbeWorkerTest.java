package io.platform.agent.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.platform.agent.probe.ProbeType.ProbeResult;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ProbeWorkerTest {

    /**
     * Each case: probe type, thresholds, handler results in order ({@code S} success, {@code F} failure,
     * {@code E} error) and the worker's result after each ({@code S}, {@code F}, {@code ?} unknown).
     */
    static Stream<Arguments> sequences() {
        return Stream.of(
                Arguments.of("readiness starts failed, one success makes it ready", ProbeType.READINESS, 1, 3, "S", "S"),
                Arguments.of("readiness needs failureThreshold failures in a row", ProbeType.READINESS, 1, 3, "SFFSFFF", "SSSSSSF"),
                Arguments.of("readiness successThreshold 2", ProbeType.READINESS, 2, 3, "SFSSFFF", "FFFSSSF"),
                Arguments.of("readiness recovers after failing", ProbeType.READINESS, 1, 1, "SFSF", "SFSF"),
                Arguments.of("errors are thrown away and do not break a run", ProbeType.READINESS, 1, 2, "SFEF", "SSSF"),
                Arguments.of("liveness starts healthy", ProbeType.LIVENESS, 1, 3, "FF", "SS"),
                Arguments.of("liveness fails at the threshold and stays on hold", ProbeType.LIVENESS, 1, 3, "FFFSSS", "SSFFFF"),
                Arguments.of("liveness failures must be in a row", ProbeType.LIVENESS, 1, 2, "FSFSFF", "SSSSSF"),
                Arguments.of("startup starts unknown and succeeds once", ProbeType.STARTUP, 1, 3, "FFS", "??S"),
                Arguments.of("startup fails at the threshold", ProbeType.STARTUP, 1, 2, "FFS", "?FF"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sequences")
    void thresholds(String name, ProbeType type, int successThreshold, int failureThreshold, String results, String expected) {
        Probe probe = new ProbeBuilder().withSuccessThreshold(successThreshold).withFailureThreshold(failureThreshold)
                .withNewTcpSocket().withNewPort(80).endTcpSocket().build();
        ProbeWorker worker = new ProbeWorker(type, probe, (sandbox, timeout) -> HandlerResult.error("unused"));
        List<Character> seen = new ArrayList<>();
        for (char result : results.toCharArray()) {
            worker.record(switch (result) {
                case 'S' -> HandlerResult.success("");
                case 'F' -> HandlerResult.failure("failed #" + seen.size());
                default -> HandlerResult.error("could not probe");
            });
            seen.add(switch (worker.result()) {
                case SUCCESS -> 'S';
                case FAILURE -> 'F';
                case UNKNOWN -> '?';
            });
        }
        assertThat(seen).as(name).containsExactlyElementsOf(expected.chars().mapToObj(c -> (char) c).toList());
    }

    @Test
    void recordReportsOnlyChanges() {
        Probe probe = new ProbeBuilder().withFailureThreshold(1).withNewTcpSocket().withNewPort(80).endTcpSocket().build();
        ProbeWorker worker = new ProbeWorker(ProbeType.READINESS, probe, (sandbox, timeout) -> HandlerResult.error("unused"));

        assertThat(worker.record(HandlerResult.failure("down"))).as("already failed").isFalse();
        assertThat(worker.record(HandlerResult.success(""))).isTrue();
        assertThat(worker.record(HandlerResult.success(""))).isFalse();
        assertThat(worker.record(HandlerResult.failure("HTTP probe failed with statuscode: 500"))).isTrue();
        assertThat(worker.lastFailure()).isEqualTo("HTTP probe failed with statuscode: 500");
    }

    @Test
    void defaultsAreUpstreams() {
        ProbeWorker worker = new ProbeWorker(ProbeType.LIVENESS, new ProbeBuilder().withNewTcpSocket().withNewPort(80)
                .endTcpSocket().build(), (sandbox, timeout) -> HandlerResult.error("unused"));
        assertThat(worker.period()).hasSeconds(10);
        assertThat(worker.initialDelay()).isZero();
        assertThat(worker.result()).isEqualTo(ProbeResult.SUCCESS);
        worker.record(HandlerResult.failure("1"));
        worker.record(HandlerResult.failure("2"));
        assertThat(worker.result()).as("two of the default three failures").isEqualTo(ProbeResult.SUCCESS);
        worker.record(HandlerResult.failure("3"));
        assertThat(worker.result()).isEqualTo(ProbeResult.FAILURE);
    }
}
