package io.platform.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlatformMainTest {

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PlatformMain main = new PlatformMain(new PrintStream(printed, true, StandardCharsets.UTF_8));

    @TempDir
    Path dataDir;

    @Test
    void wrongUsageExitsWithTwo() {
        assertThat(main.run(List.of())).isEqualTo(PlatformMain.USAGE);
        assertThat(main.run(List.of("launch"))).isEqualTo(PlatformMain.USAGE);
        assertThat(main.run(List.of("image"))).isEqualTo(PlatformMain.USAGE);
        assertThat(main.run(List.of("image", "load"))).isEqualTo(PlatformMain.USAGE);
        assertThat(main.run(List.of("down", "--force"))).isEqualTo(PlatformMain.USAGE);
    }

    @Test
    void helpPrintsTheUsageText() {
        assertThat(main.run(List.of("help"))).isEqualTo(PlatformMain.OK);
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("--components LIST", "image build-busybox",
                "backup FILE", "restore FILE", "--etcd-snapshot FILE", "--force", "--bump-revision");
    }

    @Test
    void upOptionsHaveTheDocumentedDefaultsAndFlags() {
        UpOptions defaults = UpOptions.parse(List.of());
        assertThat(defaults.apiPort()).isEqualTo(6443);
        assertThat(defaults.consolePort()).isEqualTo(8080);
        assertThat(defaults.agentPort()).isEqualTo(10250);
        assertThat(defaults.apiServerUrl()).isEqualTo("https://127.0.0.1:6443");
        assertThat(defaults.components()).containsExactlyInAnyOrder(Component.values());
        assertThat(defaults.storeUrl()).isNull();
        assertThat(UpOptions.parse(List.of("--store", "etcd://127.0.0.1:2379,127.0.0.1:22379")).storeUrl())
                .isEqualTo("etcd://127.0.0.1:2379,127.0.0.1:22379");

        UpOptions custom = UpOptions.parse(List.of("--data-dir=/tmp/x", "--bind-address", "0.0.0.0",
                "--api-port", "7443", "--components", "api,scheduler,console", "--no-console",
                "--node-name", "worker-1", "--api-ready-timeout", "2m", "--shutdown-timeout", "1s"));
        assertThat(custom.dataDir()).isEqualTo(Path.of("/tmp/x"));
        assertThat(custom.apiServerUrl()).isEqualTo("https://127.0.0.1:7443");
        assertThat(custom.components()).isEqualTo(Set.of(Component.API, Component.SCHEDULER));
        assertThat(custom.nodeName()).isEqualTo("worker-1");
        assertThat(custom.apiReadyTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(custom.shutdownTimeout()).isEqualTo(Duration.ofSeconds(1));

        assertThatThrownBy(() -> UpOptions.parse(List.of("--components", "api,etcd")))
                .isInstanceOf(UsageException.class).hasMessageContaining("etcd");
        assertThatThrownBy(() -> UpOptions.parse(List.of("--api-port", "70000")))
                .isInstanceOf(UsageException.class);
        assertThatThrownBy(() -> UpOptions.parse(List.of("--node-name", "Bad_Name")))
                .isInstanceOf(UsageException.class);
        assertThatThrownBy(() -> UpOptions.parse(List.of("--data-dir")))
                .isInstanceOf(UsageException.class).hasMessageContaining("needs a value");
    }

    @Test
    void downWithoutARunningPlatformOrClusterSaysSo() throws Exception {
        assertThat(main.run(List.of("down", "--data-dir", dataDir.toString()))).isEqualTo(PlatformMain.OK);
        assertThat(printed.toString(StandardCharsets.UTF_8))
                .contains("no platform is running on " + dataDir.toAbsolutePath())
                .contains("no containers to remove");
    }

    @Test
    void downRemovesAStalePidFile() throws Exception {
        // A pid that cannot be alive (above Linux's pid_max) stands for a crashed up.
        Files.writeString(dataDir.resolve("platform.pid"), "99999999\n");
        assertThat(main.run(List.of("down", "--data-dir", dataDir.toString()))).isEqualTo(PlatformMain.OK);
        assertThat(dataDir.resolve("platform.pid")).doesNotExist();
    }
}
