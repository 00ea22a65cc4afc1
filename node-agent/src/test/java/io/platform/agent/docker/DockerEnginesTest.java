package io.platform.agent.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerEnginesTest {

    @Test
    void noEngineAtAMissingSocket(@TempDir Path dir) {
        assertThat(DockerEngines.answers("unix://" + dir.resolve("docker.sock"))).isFalse();
    }
}
