package io.platform.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.platform.agent.process.ProcessRuntime;
import io.platform.agent.runtime.ContainerRuntime;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** The process runtime's branches of {@link ContainerRuntimes}: chosen by name, and auto's fallback without an engine. */
class ContainerRuntimesProcessTest {

    @TempDir
    Path dir;

    @Test
    void processIsChosenByName() {
        try (ContainerRuntime runtime = ContainerRuntimes.select(properties("process", "unix:///nowhere/docker.sock"))) {
            assertThat(runtime).isInstanceOf(ProcessRuntime.class);
            assertThat(runtime.name()).isEqualTo("process");
        }
    }

    @Test
    void autoFallsBackToProcessesWhenNoEngineAnswers() {
        Path socket = dir.resolve("no-engine.sock");
        assertThat(socket).doesNotExist();
        try (ContainerRuntime runtime = ContainerRuntimes.select(properties("auto", "unix://" + socket))) {
            assertThat(runtime.name()).isEqualTo("process");
            assertThat(runtime.version()).startsWith("process://");
        }
    }

    private AgentProperties properties(String runtime, String dockerHost) {
        Map<String, String> values = Map.of(
                "platform.agent.kubeconfig", dir.resolve("kubeconfig").toString(),
                "platform.agent.node-name", "node-a",
                "platform.agent.cluster-id", "c1",
                "platform.agent.tls-cert", dir.resolve("tls.crt").toString(),
                "platform.agent.tls-key", dir.resolve("tls.key").toString(),
                "platform.agent.client-ca", dir.resolve("ca.crt").toString(),
                "platform.agent.runtime", runtime,
                "platform.agent.docker-host", dockerHost,
                "platform.agent.root-dir", dir.resolve("root").toString(),
                "platform.agent.process.isolate", "false");
        return new Binder(new MapConfigurationPropertySource(values)).bind("platform.agent", AgentProperties.class).get();
    }
}
