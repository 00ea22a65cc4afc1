package io.platform.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The harness end to end on SQLite with tiny windows: one table with the agreed columns and a measured row. */
class BenchmarkSmokeTest {

    @Test
    @Timeout(120)
    void sqliteRunPrintsTheTableWithAMeasuredRowAndTheTarget() {
        BenchOptions options = BenchOptions.parse(new String[] {"--backends", "sqlite", "--jit-warmup", "0s", "--warmup=200ms",
                "--duration", "1s", "--writers", "2", "--clients", "2", "--value-size", "256"}, new Properties());
        ByteArrayOutputStream progress = new ByteArrayOutputStream();

        List<BackendResult> results = new Benchmark(options, new PrintStream(progress, true, StandardCharsets.UTF_8)).run();
        List<String> lines = ResultTable.render(results).lines().toList();

        assertThat(results).singleElement().isInstanceOfSatisfying(BackendResult.Measured.class, measured -> {
            assertThat(measured.store().operations()).isPositive();
            assertThat(measured.api().operations()).isPositive();
            assertThat(measured.api().errors()).isZero();
        });
        assertThat(cells(lines.get(0))).containsExactly("backend", "store writes/s", "API creates/s", "API/store %",
                "API p50 ms", "API p99 ms");
        assertThat(lines.get(1)).matches("\\|(-+:?\\|){6}");
        List<String> row = cells(lines.get(2));
        assertThat(row.getFirst()).isEqualTo("sqlite");
        assertThat(row.subList(1, 6)).allMatch(cell -> cell.matches("[0-9]+(\\.[0-9]+)?"));
        assertThat(lines.get(3)).isEmpty();
        assertThat(lines.get(4)).startsWith("target: API creates/s >= 50 % of the raw store's writes/s;")
                .contains("sqlite (");
        assertThat(progress.toString(StandardCharsets.UTF_8)).contains("sqlite store writes: ", "sqlite API creates: ");
    }

    private static List<String> cells(String line) {
        assertThat(line).startsWith("|").endsWith("|");
        return Arrays.stream(line.substring(1, line.length() - 1).split("\\|")).map(String::strip).toList();
    }
}
