package io.platform.agent.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.HostConfig;
import io.platform.agent.volume.PodVolumes;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The container config the engine gets: the volume directories bound read-only at their mount paths, in the sandbox's network. */
class DockerRuntimeBindsTest {

    @Test
    void volumesAreBoundReadOnlyAtTheirMountPaths() {
        HostConfig host = DockerRuntime.hostConfig("sandbox-id", List.of(new PodVolumes.Mount(
                Path.of("/var/lib/agent/pods/uid/volumes/kubernetes.io~projected/kube-api-access-abcde"),
                "/var/run/secrets/kubernetes.io/serviceaccount", true)));

        assertThat(host.getNetworkMode()).isEqualTo("container:sandbox-id");
        assertThat(host.getBinds()).singleElement().satisfies(bind -> {
            assertThat(bind.getPath()).isEqualTo("/var/lib/agent/pods/uid/volumes/kubernetes.io~projected/kube-api-access-abcde");
            assertThat(bind.getVolume().getPath()).isEqualTo("/var/run/secrets/kubernetes.io/serviceaccount");
            assertThat(bind.getAccessMode()).isEqualTo(AccessMode.ro);
        });
    }

    @Test
    void writableMountsAndMountPropagationAreBoundAsTheKubeletAsks() {
        HostConfig host = DockerRuntime.hostConfig("sandbox-id", List.of(
                new PodVolumes.Mount(Path.of("/srv/scratch"), "/scratch", false, "None"),
                new PodVolumes.Mount(Path.of("/srv/logs"), "/logs", true, "HostToContainer"),
                new PodVolumes.Mount(Path.of("/srv/shared"), "/shared", false, "Bidirectional")));

        assertThat(host.getBinds()).extracting(Bind::toString)
                .containsExactly("/srv/scratch:/scratch:rw", "/srv/logs:/logs:ro,rslave", "/srv/shared:/shared:rw,rshared");
    }
}
