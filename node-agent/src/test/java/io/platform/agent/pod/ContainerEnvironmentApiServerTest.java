package io.platform.agent.pod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceFieldSelector;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.platform.api.testing.RunningApiServer;
import io.platform.common.client.KubeconfigClients;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code envFrom} and {@code resourceFieldRef} read through the real API server, as the kubelet resolves them. */
class ContainerEnvironmentApiServerTest {

    private static RunningApiServer server;
    private static KubernetesClient client;

    @BeforeAll
    static void start() {
        server = RunningApiServer.start("env-node");
        client = KubeconfigClients.fromFile(server.pki().adminKubeconfig());
        client.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata().withName("settings")
                .endMetadata().addToData("GREETING", "hello").addToData("COLOR", "blue").addToData("bad=key", "x").build()).create();
        client.secrets().inNamespace("default").resource(new SecretBuilder().withNewMetadata().withName("credentials")
                .endMetadata().addToStringData("PASSWORD", "s3cret").build()).create();
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName("env-node").endMetadata().build()).create();
        client.nodes().withName("env-node").editStatus(node -> new NodeBuilder(node).withNewStatus()
                .addToAllocatable("cpu", new Quantity("3")).addToAllocatable("memory", new Quantity("2Gi")).endStatus().build());
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    @Test
    void envFromBringsEveryKeyWithItsPrefixAndEnvEntriesWin() throws Exception {
        Container container = new ContainerBuilder().withName("app").withImage("busybox:1.35")
                .addNewEnvFrom().withNewConfigMapRef("settings", false).endEnvFrom()
                .addNewEnvFrom().withPrefix("DB_").withNewSecretRef("credentials", false).endEnvFrom()
                .addNewEnvFrom().withNewConfigMapRef("absent", true).endEnvFrom()
                .addNewEnv().withName("COLOR").withValue("red").endEnv()
                .addNewEnv().withName("MESSAGE").withValue("$(GREETING) $(DB_PASSWORD)").endEnv()
                .build();

        List<String> env = environment().resolve(pod(container), container, null, "env-node").env();

        assertThat(env).contains("GREETING=hello", "COLOR=red", "DB_PASSWORD=s3cret", "MESSAGE=hello s3cret")
                .doesNotContain("COLOR=blue").noneMatch(entry -> entry.startsWith("bad"));
    }

    @Test
    void aMissingRequiredSourceKeepsTheContainerWaiting() {
        Container container = new ContainerBuilder().withName("app").withImage("busybox:1.35")
                .addNewEnvFrom().withNewSecretRef("absent", false).endEnvFrom().build();

        assertThatThrownBy(() -> environment().resolve(pod(container), container, null, "env-node"))
                .isInstanceOf(ContainerEnvironment.ConfigException.class).hasMessage("secret \"absent\" not found");
    }

    @Test
    void resourceFieldsAreDividedAndRoundedUpAndAnUnsetLimitIsTheNodesAllocatable() throws Exception {
        Container container = new ContainerBuilder().withName("app").withImage("busybox:1.35")
                .withNewResources().addToRequests("cpu", new Quantity("250m")).addToLimits("memory", new Quantity("100Mi"))
                .endResources()
                .addNewEnv().withName("CPU_REQUEST").withNewValueFrom()
                        .withResourceFieldRef(new ResourceFieldSelector(null, new Quantity("1m"), "requests.cpu")).endValueFrom().endEnv()
                .addNewEnv().withName("CPU_REQUEST_CORES").withNewValueFrom()
                        .withResourceFieldRef(new ResourceFieldSelector(null, null, "requests.cpu")).endValueFrom().endEnv()
                .addNewEnv().withName("MEMORY_LIMIT").withNewValueFrom()
                        .withResourceFieldRef(new ResourceFieldSelector("app", new Quantity("1Mi"), "limits.memory")).endValueFrom().endEnv()
                .addNewEnv().withName("CPU_LIMIT").withNewValueFrom()
                        .withResourceFieldRef(new ResourceFieldSelector(null, null, "limits.cpu")).endValueFrom().endEnv()
                .build();

        List<String> env = environment().resolve(pod(container), container, null, "env-node").env();

        assertThat(env).contains("CPU_REQUEST=250", "CPU_REQUEST_CORES=1", "MEMORY_LIMIT=100", "CPU_LIMIT=3");
    }

    private static ContainerEnvironment environment() {
        return new ContainerEnvironment(client, () -> Optional.of(List.of()));
    }

    private static Pod pod(Container container) {
        return new PodBuilder().withNewMetadata().withNamespace("default").withName("web").withUid("uid-1").endMetadata()
                .withNewSpec().withNodeName("env-node").withContainers(container).endSpec().build();
    }
}
