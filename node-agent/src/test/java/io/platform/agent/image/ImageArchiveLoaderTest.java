package io.platform.agent.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import io.platform.agent.docker.DockerEngines;
import io.platform.agent.testing.DockerTestEngine;
import io.platform.agent.testing.RequiresDockerEngine;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageArchiveLoaderTest {

    @Test
    @RequiresDockerEngine
    void loadsAnArchiveWrittenByDockerSave(@TempDir Path dir) throws Exception {
        String host = DockerTestEngine.host();
        BusyboxImageBuilder.build(host, Path.of("/bin/busybox"));
        String tag = "archive-" + UUID.randomUUID().toString().substring(0, 8);
        String image = "platform.local/saved:" + tag;
        Path archive = dir.resolve("saved.tar");
        try (DockerClient docker = DockerEngines.connect(host)) {
            docker.tagImageCmd(BusyboxImageBuilder.IMAGE, "platform.local/saved", tag).exec();
            try (InputStream saved = docker.saveImageCmd("platform.local/saved").withTag(tag).exec()) {
                Files.copy(saved, archive);
            }
            docker.removeImageCmd(image).exec();
            assertThatThrownBy(() -> docker.inspectImageCmd(image).exec()).isInstanceOf(NotFoundException.class);
            try {
                ImageArchiveLoader.load(host, archive);
                assertThat(docker.inspectImageCmd(image).exec().getRepoTags()).contains(image);
            } finally {
                docker.removeImageCmd(image).exec();
            }
        }
    }

    @Test
    void refusesWhatIsNotAFile(@TempDir Path dir) {
        assertThatThrownBy(() -> ImageArchiveLoader.load("unix:///nonexistent.sock", dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("docker save");
    }
}
