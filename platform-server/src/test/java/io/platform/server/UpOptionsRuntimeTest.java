package io.platform.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code platform up --runtime}: which runtime the node agent runs pods on. */
class UpOptionsRuntimeTest {

    @Test
    void theRuntimeIsAutoUnlessChosen() {
        assertThat(UpOptions.parse(List.of()).runtime()).isEqualTo("auto");
        assertThat(UpOptions.parse(List.of("--runtime", "process")).runtime()).isEqualTo("process");
        assertThat(UpOptions.parse(List.of("--runtime=docker")).runtime()).isEqualTo("docker");
        assertThat(UpOptions.parse(List.of("--runtime", "simulated")).runtime()).isEqualTo("simulated");
    }

    @Test
    void anUnknownRuntimeIsAUsageError() {
        assertThatThrownBy(() -> UpOptions.parse(List.of("--runtime", "podman")))
                .isInstanceOf(UsageException.class)
                .hasMessage("--runtime must be one of auto, docker, process, simulated, not podman");
    }
}
