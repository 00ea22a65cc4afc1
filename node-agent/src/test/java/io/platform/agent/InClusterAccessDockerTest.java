package io.platform.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.platform.agent.docker.ClusterContainers;
import io.platform.agent.docker.DockerEngines;
import io.platform.agent.image.BusyboxImageBuilder;
import io.platform.agent.testing.DockerTestEngine;
import io.platform.agent.testing.RequiresDockerEngine;
import io.platform.agent.volume.AtomicVolumeWriter;
import io.platform.api.testing.ComponentUnderTest;
import io.platform.api.testing.RunningApiServer;
import io.platform.common.client.KubeconfigClients;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What a container sees of the cluster, on a real Docker engine: the {@code KUBERNETES_SERVICE_*} and
 * {@code KUBERNETES_PORT*} variables from {@code default/kubernetes}, and a projected volume (the
 * cluster CA from {@code kube-root-ca.crt}, the namespace) bind-mounted read-only where in-cluster
 * clients look for it.
 */
@RequiresDockerEngine
class InClusterAccessDockerTest {

    private static final String NODE = "in-cluster-node";
    private static final String NS = "in-cluster";
    private static final String MOUNT = "/var/run/secrets/kubernetes.io/serviceaccount";

    private static String dockerHost;
    private static String clusterId;
    private static RunningApiServer server;
    private static KubernetesClient client;
    private static DockerClient docker;
    private static ConfigurableApplicationContext agent;
    private static Path rootDir;

    @BeforeAll
    static void startAgent() throws IOException {
        dockerHost = DockerTestEngine.host();
        BusyboxImageBuilder.build(dockerHost, Path.of("/bin/busybox"));
        docker = DockerEngines.connect(dockerHost);
        server = RunningApiServer.start(NODE);
        clusterId = server.pki().clusterId();
        client = KubeconfigClients.fromFile(server.pki().adminKubeconfig());
        rootDir = Files.createTempDirectory("agent-root");
        agent = new SpringApplicationBuilder(NodeAgentApplication.class)
                .web(WebApplicationType.REACTIVE)
                .properties(NodeAgentApplication.defaultProperties())
                .properties(Map.ofEntries(
                        Map.entry("server.port", 0),
                        Map.entry("spring.main.banner-mode", "off"),
                        Map.entry("spring.autoconfigure.exclude", ComponentUnderTest.WITHOUT_DATABASE),
                        Map.entry("platform.agent.kubeconfig", server.pki().nodeAgentKubeconfig().toString()),
                        Map.entry("platform.agent.node-name", NODE),
                        Map.entry("platform.agent.cluster-id", clusterId),
                        Map.entry("platform.agent.tls-cert", server.pki().nodeAgentCertificate().toString()),
                        Map.entry("platform.agent.tls-key", server.pki().nodeAgentKey().toString()),
                        Map.entry("platform.agent.client-ca", server.pki().caCertificate().toString()),
                        Map.entry("platform.agent.docker-host", dockerHost),
                        Map.entry("platform.agent.sandbox-image", "platform.local/pause:" + clusterId),
                        Map.entry("platform.agent.root-dir", rootDir.toString()),
                        Map.entry("platform.agent.resync-interval", "1s"),
                        Map.entry("platform.agent.retry-interval", "500ms")))
                .run();
    }

    @AfterAll
    static void stopAgent() throws IOException {
        if (agent != null) {
            agent.close();
        }
        if (docker != null) {
            if (clusterId != null) {
                ClusterContainers.removeAll(dockerHost, clusterId);
                try {
                    docker.removeImageCmd("platform.local/pause:" + clusterId).exec();
                } catch (RuntimeException e) {
                    // not built when the agent never started
                }
            }
            docker.close();
        }
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
        if (rootDir != null) {
            AtomicVolumeWriter.deleteTree(rootDir);
        }
    }

    @Test
    void aContainerFindsTheApiThroughItsEnvironmentAndItsServiceAccountVolume() throws IOException {
        ensureKubernetesService();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
        String ca = Files.readString(server.pki().caCertificate());
        client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withName("kube-root-ca.crt").endMetadata()
                .addToData("ca.crt", ca).build()).create();
        client.pods().inNamespace(NS).resource(new PodBuilder()
                .withNewMetadata().withName("client").withNamespace(NS).endMetadata()
                .withNewSpec().withNodeName(NODE).withAutomountServiceAccountToken(false).withTerminationGracePeriodSeconds(1L)
                .addNewVolume().withName("kube-api-access").withNewProjected()
                .addNewSource().withNewConfigMap().withName("kube-root-ca.crt").addNewItem().withKey("ca.crt").withPath("ca.crt").endItem()
                .endConfigMap().endSource()
                .addNewSource().withNewDownwardAPI().addNewItem().withPath("namespace").withNewFieldRef()
                .withFieldPath("metadata.namespace").endFieldRef().endItem().endDownwardAPI().endSource()
                .endProjected().endVolume()
                .addNewContainer().withName("app").withImage("busybox:1.35").withCommand("sh", "-c")
                .withArgs("echo ns=$(cat " + MOUNT + "/namespace); head -1 " + MOUNT + "/ca.crt; "
                        + "touch " + MOUNT + "/x 2>/dev/null || echo read-only; "
                        + "echo api=https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT; exec sleep 3600")
                .addNewVolumeMount().withName("kube-api-access").withMountPath(MOUNT).withReadOnly(true).endVolumeMount()
                .endContainer().endSpec().build()).create();

        Pod running = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> client.pods().inNamespace(NS).withName("client").get(),
                        p -> p != null && p.getStatus() != null && "Running".equals(p.getStatus().getPhase()));
        ContainerStatus status = running.getStatus().getContainerStatuses().getFirst();
        InspectContainerResponse inspect = docker.inspectContainerCmd(status.getContainerID().substring("docker://".length())).exec();
        assertThat(inspect.getConfig().getEnv()).contains("KUBERNETES_SERVICE_HOST=10.96.0.1", "KUBERNETES_SERVICE_PORT=443",
                "KUBERNETES_SERVICE_PORT_HTTPS=443", "KUBERNETES_PORT=tcp://10.96.0.1:443", "KUBERNETES_PORT_443_TCP=tcp://10.96.0.1:443",
                "KUBERNETES_PORT_443_TCP_PROTO=tcp", "KUBERNETES_PORT_443_TCP_PORT=443", "KUBERNETES_PORT_443_TCP_ADDR=10.96.0.1");
        // besides the termination-message file, the one volume
        List<Bind> volumes = Arrays.stream(inspect.getHostConfig().getBinds())
                .filter(bind -> !bind.getVolume().getPath().equals("/dev/termination-log")).toList();
        assertThat(volumes).hasSize(1);
        Bind volume = volumes.getFirst();
        assertThat(volume.getVolume().getPath()).isEqualTo(MOUNT);
        assertThat(volume.getAccessMode()).isEqualTo(AccessMode.ro);
        assertThat(volume.getPath()).startsWith(rootDir.toString()).contains(running.getMetadata().getUid());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(client.pods().inNamespace(NS).withName("client").getLog())
                .contains("ns=" + NS, "-----BEGIN CERTIFICATE-----", "read-only", "api=https://10.96.0.1:443"));

        // a changed ConfigMap reaches the running container through the volume's link swap
        client.configMaps().inNamespace(NS).withName("kube-root-ca.crt").edit(cm -> new ConfigMapBuilder(cm)
                .addToData("ca.crt", "rotated").build());
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(Files.readString(
                Path.of(volume.getPath()).resolve("ca.crt"))).isEqualTo("rotated"));

        client.pods().inNamespace(NS).withName("client").delete();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(rootDir.resolve("pods").resolve(running.getMetadata().getUid())).doesNotExist());
    }

    /** The API server keeps {@code default/kubernetes}; an API server build without that gets it from the test. */
    private static void ensureKubernetesService() {
        if (client.services().inNamespace("default").withName("kubernetes").get() != null) {
            return;
        }
        try {
            client.services().inNamespace("default").resource(new ServiceBuilder().withNewMetadata().withName("kubernetes").endMetadata()
                    .withNewSpec().withClusterIP("10.96.0.1").addNewPort().withName("https").withPort(443).withProtocol("TCP")
                    .endPort().endSpec().build()).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
        }
    }
}
