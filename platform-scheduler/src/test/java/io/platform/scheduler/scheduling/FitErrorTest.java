package io.platform.scheduler.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class FitErrorTest {

    @Test
    void summarisesReasonsLikeKubeScheduler() {
        assertThat(SchedulingCycle.fitError(3, new TreeMap<>(Map.of("node(s) were unschedulable", 2, "Insufficient cpu", 1))))
                .isEqualTo("0/3 nodes are available: 1 Insufficient cpu, 2 node(s) were unschedulable.");
        assertThat(SchedulingCycle.fitError(0, Map.of())).isEqualTo("no nodes available to schedule pods");
    }
}
