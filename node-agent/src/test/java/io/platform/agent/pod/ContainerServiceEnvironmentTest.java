package io.platform.agent.pod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The service variables in a container's environment, and $(VAR) over them, as the kubelet builds it. */
class ContainerServiceEnvironmentTest {

    private static final Service KUBERNETES = new ServiceBuilder().withNewMetadata().withNamespace("default").withName("kubernetes")
            .endMetadata().withNewSpec().withClusterIP("10.96.0.1").addNewPort().withName("https").withPort(443).withProtocol("TCP")
            .endPort().endSpec().build();

    // never called: the environments below read nothing through the API
    private final KubernetesClient unused = new KubernetesClientBuilder()
            .withConfig(new ConfigBuilder().withAutoConfigure(false).withMasterUrl("https://127.0.0.1:1").build()).build();

    @AfterEach
    void close() {
        unused.close();
    }

    @Test
    void everyContainerGetsTheKubernetesServiceAndMayReferToIt() throws Exception {
        ContainerEnvironment environment = new ContainerEnvironment(unused, () -> Optional.of(List.of(KUBERNETES)));
        Container container = new ContainerBuilder().withName("app").withImage("busybox:1.35")
                .addNewEnv().withName("API").withValue("https://$(KUBERNETES_SERVICE_HOST):$(KUBERNETES_SERVICE_PORT)").endEnv()
                .withArgs("$(KUBERNETES_PORT_443_TCP_ADDR)").build();

        ContainerEnvironment.Resolved resolved = environment.resolve(pod(container), container, "172.17.0.5", "node-a");

        assertThat(resolved.env()).contains("API=https://10.96.0.1:443", "KUBERNETES_SERVICE_HOST=10.96.0.1",
                "KUBERNETES_SERVICE_PORT=443", "KUBERNETES_SERVICE_PORT_HTTPS=443", "KUBERNETES_PORT=tcp://10.96.0.1:443",
                "KUBERNETES_PORT_443_TCP=tcp://10.96.0.1:443", "KUBERNETES_PORT_443_TCP_PROTO=tcp",
                "KUBERNETES_PORT_443_TCP_PORT=443", "KUBERNETES_PORT_443_TCP_ADDR=10.96.0.1");
        assertThat(resolved.cmd()).containsExactly("10.96.0.1");
    }

    @Test
    void aVariableTheContainerSetsItselfWins() throws Exception {
        ContainerEnvironment environment = new ContainerEnvironment(unused, () -> Optional.of(List.of(KUBERNETES)));
        Container container = new ContainerBuilder().withName("app").withImage("busybox:1.35")
                .addNewEnv().withName("KUBERNETES_SERVICE_HOST").withValue("api.example").endEnv().build();

        ContainerEnvironment.Resolved resolved = environment.resolve(pod(container), container, null, "node-a");

        assertThat(resolved.env()).contains("KUBERNETES_SERVICE_HOST=api.example").doesNotContain("KUBERNETES_SERVICE_HOST=10.96.0.1");
    }

    @Test
    void beforeTheServicesAreKnownTheContainerWaits() {
        ContainerEnvironment environment = new ContainerEnvironment(unused, Optional::empty);
        Container container = new ContainerBuilder().withName("app").withImage("busybox:1.35").build();

        assertThatThrownBy(() -> environment.resolve(pod(container), container, null, "node-a"))
                .isInstanceOf(ContainerEnvironment.ConfigException.class)
                .hasMessageContaining("services have not yet been read");
    }

    private static Pod pod(Container container) {
        return new PodBuilder().withNewMetadata().withNamespace("apps").withName("web").withUid("uid-1").endMetadata()
                .withNewSpec().withContainers(container).endSpec().build();
    }
}
