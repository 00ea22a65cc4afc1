package io.platform.agent.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import io.platform.agent.AgentProperties;
import io.platform.agent.image.BusyboxImageBuilder;
import io.platform.agent.testing.DockerTestEngine;
import io.platform.agent.testing.RequiresDockerEngine;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * The image garbage collector against a real engine: above the high threshold it removes unused
 * images and keeps those a container uses and the pinned ones; below it, nothing.
 */
@RequiresDockerEngine
class ImageGarbageCollectorDockerTest {

    private final String repository = "gc-test-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<String> containers = new ArrayList<>();
    private DockerClient docker;

    @BeforeEach
    void connect() {
        docker = DockerEngines.connect(DockerTestEngine.host());
        BusyboxImageBuilder.build(DockerTestEngine.host(), Path.of("/bin/busybox"));
    }

    @AfterEach
    void cleanUp() throws Exception {
        containers.forEach(id -> docker.removeContainerCmd(id).withForce(true).exec());
        for (String tag : List.of("unused", "used", "pinned")) {
            try {
                docker.removeImageCmd(repository + ":" + tag).withForce(true).exec();
            } catch (NotFoundException e) {
                // collected
            }
        }
        docker.close();
    }

    @Test
    void removesUnusedImagesAboveTheHighThresholdAndKeepsUsedAndPinnedOnes() {
        String unused = variant("unused");
        String used = variant("used");
        String pinned = variant("pinned");
        containers.add(docker.createContainerCmd(used).withCmd("true").exec().getId());

        // every other image of this shared engine is pinned, so only this test's images can go
        ImageGarbageCollector collector = new ImageGarbageCollector(docker, properties(0, 0,
                "busybox:*", "platform.local/*", repository + ":pinned", "gc-test-*:pinned", "127.0.0.1:*"), Clock.systemUTC());
        assertThat(collector.collect()).isPositive();

        assertThat(present(unused)).isFalse();
        assertThat(present(used)).isTrue();
        assertThat(present(pinned)).isTrue();
        assertThat(present(BusyboxImageBuilder.IMAGE)).isTrue();
    }

    @Test
    void leavesEverythingBelowTheHighThreshold() {
        String unused = variant("unused");
        ImageGarbageCollector collector = new ImageGarbageCollector(docker, properties(100, 99), Clock.systemUTC());
        assertThat(collector.collect()).isZero();
        assertThat(present(unused)).isTrue();
    }

    @Test
    void pinsMatchExactReferencesAndPrefixes() {
        assertThat(ImageGarbageCollector.matches("busybox:1.35", "busybox:1.35")).isTrue();
        assertThat(ImageGarbageCollector.matches("busybox:1.35", "busybox:1.36")).isFalse();
        assertThat(ImageGarbageCollector.matches("platform.local/*", "platform.local/pause:1")).isTrue();
        assertThat(ImageGarbageCollector.matches("platform.local/*", "docker.io/platform.local")).isFalse();
    }

    private String variant(String tag) {
        String container = docker.createContainerCmd(BusyboxImageBuilder.IMAGE).withCmd("true").exec().getId();
        try {
            docker.commitCmd(container).withRepository(repository).withTag(tag).withEnv("VARIANT=" + UUID.randomUUID()).exec();
        } finally {
            docker.removeContainerCmd(container).withForce(true).exec();
        }
        return repository + ":" + tag;
    }

    private boolean present(String image) {
        try {
            docker.inspectImageCmd(image).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    private static AgentProperties properties(int high, int low, String... pinned) {
        java.util.Map<String, Object> values = new java.util.HashMap<>(java.util.Map.of(
                "platform.agent.kubeconfig", "/dev/null", "platform.agent.node-name", "n", "platform.agent.cluster-id", "c",
                "platform.agent.tls-cert", "/dev/null", "platform.agent.tls-key", "/dev/null",
                "platform.agent.client-ca", "/dev/null",
                "platform.agent.image-gc.high-threshold-percent", high,
                "platform.agent.image-gc.low-threshold-percent", low,
                "platform.agent.image-gc.minimum-age", Duration.ZERO.toString()));
        for (int i = 0; i < pinned.length; i++) {
            values.put("platform.agent.image-gc.pinned-images[" + i + "]", pinned[i]);
        }
        return new Binder(new MapConfigurationPropertySource(values)).bind("platform.agent", AgentProperties.class).get();
    }
}
