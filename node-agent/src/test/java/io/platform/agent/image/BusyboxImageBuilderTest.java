package io.platform.agent.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.async.ResultCallback;
import io.platform.agent.docker.DockerEngines;
import io.platform.agent.testing.DockerTestEngine;
import io.platform.agent.testing.RequiresDockerEngine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BusyboxImageBuilderTest {

    private static final Path BUSYBOX = Path.of("/bin/busybox");
    private static final String TEST_LABEL = "io.platform.test";

    @Test
    @RequiresDockerEngine
    void buildsARunnableBusyboxWithShAsCommand() throws Exception {
        String host = DockerTestEngine.host();
        assertThat(BusyboxImageBuilder.build(host, BUSYBOX)).isEqualTo("busybox:1.35");
        try (DockerClient docker = DockerEngines.connect(host)) {
            InspectImageResponse image = docker.inspectImageCmd("busybox:1.35").exec();
            assertThat(image.getConfig().getCmd()).containsExactly("sh");
            String output = run(docker, "busybox:1.35", "sh", "-c", "echo hello $(whoami); test -x /bin/httpd && echo httpd");
            assertThat(output).contains("hello root").contains("httpd");
        }
    }

    @Test
    @RequiresDockerEngine
    void sandboxImageSleepsForever() throws Exception {
        String host = DockerTestEngine.host();
        String image = "platform.local/pause-test:" + UUID.randomUUID().toString().substring(0, 8);
        SandboxImageBuilder.build(host, BUSYBOX, image);
        try (DockerClient docker = DockerEngines.connect(host)) {
            assertThat(docker.inspectImageCmd(image).exec().getConfig().getEntrypoint())
                    .containsExactly("/bin/sleep", "infinity");
            String id = docker.createContainerCmd(image).withLabels(Map.of(TEST_LABEL, "true")).exec().getId();
            try {
                docker.startContainerCmd(id).exec();
                assertThat(docker.inspectContainerCmd(id).exec().getState().getRunning()).isTrue();
            } finally {
                docker.removeContainerCmd(id).withForce(true).exec();
                docker.removeImageCmd(image).exec();
            }
        }
    }

    @Test
    void refusesAMissingBusybox(@TempDir Path dir) {
        assertThatThrownBy(() -> BusyboxImageBuilder.build("unix:///nonexistent.sock", dir.resolve("busybox")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("busybox-static");
    }

    private static String run(DockerClient docker, String image, String... command) throws Exception {
        String id = docker.createContainerCmd(image).withCmd(command).withLabels(Map.of(TEST_LABEL, "true")).exec().getId();
        try {
            docker.startContainerCmd(id).exec();
            assertThat(docker.waitContainerCmd(id).start().awaitStatusCode(20, TimeUnit.SECONDS)).isZero();
            StringBuilder out = new StringBuilder();
            docker.logContainerCmd(id).withStdOut(true).withStdErr(true).exec(new ResultCallback.Adapter<Frame>() {
                @Override
                public void onNext(Frame frame) {
                    out.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                }
            }).awaitCompletion(10, TimeUnit.SECONDS);
            return out.toString();
        } finally {
            docker.removeContainerCmd(id).withForce(true).exec();
        }
    }
}
