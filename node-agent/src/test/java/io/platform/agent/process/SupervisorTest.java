package io.platform.agent.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The supervisor script on its own: CRI lines per stream, rotation by size, the exit record, exec failures. */
class SupervisorTest {

    @TempDir
    Path dir;

    @Test
    void writesCriLinesRotatesBySizeAndRecordsTheExit() throws IOException {
        Supervisor supervisor = new Supervisor(Path.of("/usr/bin/perl"), dir);
        supervisor.install();
        InstanceFiles files = new InstanceFiles(dir);
        Path log = dir.resolve("0.log");
        Supervisor.Launched launched = supervisor.launch(files.statePrefix("c1"), files.supervisorLog("c1"), log, 300, 3, "/tmp",
                List.of(), List.of("sh", "-c", "echo to-err >&2; i=0; while [ $i -lt 20 ]; do i=$((i+1)); echo line-$i; done; "
                        + "printf no-newline; pwd; exit 3"), Map.of("PATH", "/usr/bin:/bin"));
        assertThat(launched.failure()).isNull();
        assertThat(launched.pid()).isPositive();
        await().atMost(Duration.ofSeconds(10)).until(() -> files.exit("c1").isPresent());
        InstanceFiles.Exit exit = files.exit("c1").orElseThrow();
        assertThat(exit.code()).isEqualTo(3);
        assertThat(exit.error()).isNull();
        assertThat(files.started("c1")).hasValueSatisfying(started -> assertThat(started.pid()).isEqualTo(launched.pid()));

        assertThat(log.resolveSibling("0.log.1")).exists();
        assertThat(log.resolveSibling("0.log.2")).exists();
        assertThat(log.resolveSibling("0.log.3")).doesNotExist();
        for (Path file : List.of(log, log.resolveSibling("0.log.1"), log.resolveSibling("0.log.2"))) {
            assertThat(Files.size(file)).isLessThanOrEqualTo(300);
            assertThat(Files.readAllLines(file)).allMatch(line -> line.matches("\\S+Z (stdout|stderr) F .*"));
        }
        List<String> lines = new java.util.ArrayList<>();
        for (Path file : List.of(log.resolveSibling("0.log.2"), log.resolveSibling("0.log.1"), log)) {
            lines.addAll(Files.readAllLines(file));
        }
        // the oldest lines rotated away; what is left ends with the output's last line, its missing newline added
        assertThat(lines.stream().filter(line -> line.contains(" stdout ")).toList().getLast()).endsWith(" stdout F no-newline/tmp");
        assertThat(lines).anyMatch(line -> line.endsWith(" stdout F line-20"));
    }

    @Test
    void aCommandThatCannotRunIsReportedAsAFailure() {
        Supervisor supervisor = new Supervisor(Path.of("/usr/bin/perl"), dir);
        supervisor.install();
        InstanceFiles files = new InstanceFiles(dir);
        Supervisor.Launched launched = supervisor.launch(files.statePrefix("c2"), files.supervisorLog("c2"), dir.resolve("1.log"),
                1000, 2, "/no/such/dir", List.of(), List.of("true"), Map.of("PATH", "/usr/bin:/bin"));
        assertThat(launched.failure()).isEqualTo("working directory /no/such/dir: No such file or directory");
        assertThat(files.exit("c2")).hasValueSatisfying(exit -> assertThat(exit.error()).startsWith("working directory"));
    }
}
