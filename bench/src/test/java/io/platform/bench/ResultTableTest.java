package io.platform.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResultTableTest {

    @Test
    void rowsForMeasuredSkippedAndFailedBackendsWithTheTargetVerdict() {
        CpuUse cpu = new CpuUse(50, 60);
        Measurement store = new Measurement(20_000, 0, Duration.ofSeconds(10), 1_000_000, 5_000_000, cpu, null);
        Measurement fastApi = new Measurement(12_000, 0, Duration.ofSeconds(10), 2_500_000, 9_000_000, cpu, null);
        Measurement slowApi = new Measurement(4_000, 3, Duration.ofSeconds(10), 8_000_000, 40_000_000, cpu, "boom");

        List<String> lines = ResultTable.render(List.of(
                new BackendResult.Measured(Backend.SQLITE, store, fastApi),
                new BackendResult.Measured(Backend.ETCD, store, slowApi),
                new BackendResult.Skipped(Backend.POSTGRES, "initdb not found"),
                new BackendResult.Failed(Backend.ETCD, "etcd exited with 1"))).lines().toList();

        assertThat(lines.get(2)).isEqualTo("| sqlite   |           2000 |          1200 |        60.0 |       2.50 |       9.00 |");
        assertThat(lines.get(3)).isEqualTo("| etcd     |           2000 |           400 |        20.0 |       8.00 |      40.00 |");
        assertThat(lines.get(4)).startsWith("| postgres |        skipped |");
        assertThat(lines.get(5)).startsWith("| etcd     |         failed |");
        assertThat(lines.subList(7, lines.size())).containsExactly(
                "target: API creates/s >= 50 % of the raw store's writes/s; met: sqlite (60.0 %); missed: etcd (20.0 %)",
                "etcd: 0 store and 3 API errors in the window, first: boom",
                "postgres skipped: initdb not found",
                "etcd failed: etcd exited with 1");
    }
}
