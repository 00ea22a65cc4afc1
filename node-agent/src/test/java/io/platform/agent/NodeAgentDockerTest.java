package io.platform.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.platform.agent.testing.NodeNameFieldSelectorDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.platform.agent.docker.ClusterContainers;
import io.platform.agent.docker.DockerEngines;
import io.platform.agent.image.BusyboxImageBuilder;
import io.platform.agent.testing.DockerTestEngine;
import io.platform.agent.testing.TestPki;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The agent against a real Docker engine ({@code DOCKER_HOST}) and fabric8's CRUD mock server as
 * the API: registration, pods with real containers, logs through its authenticated API, restart
 * with re-adoption, pull policies, crash loop, deletion.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NodeAgentDockerTest {

    private static final String NODE = "agent-test-node";
    private static final String NS = "default";

    @TempDir
    static Path dir;

    private static String dockerHost;
    private static String clusterId;
    private static KubernetesMockServer api;
    private static KubernetesClient client;
    private static DockerClient docker;
    private static TestPki pki;
    private static ConfigurableApplicationContext agent;
    private static Map<String, Object> agentProperties;

    @BeforeAll
    static void startAgent() throws Exception {
        dockerHost = DockerTestEngine.require();
        clusterId = "test-" + UUID.randomUUID().toString().substring(0, 8);
        BusyboxImageBuilder.build(dockerHost, Path.of("/bin/busybox"));
        docker = DockerEngines.connect(dockerHost);
        api = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new NodeNameFieldSelectorDispatcher(), false);
        api.init(InetAddress.getLoopbackAddress(), 0);
        client = api.createClient();
        Path kubeconfig = dir.resolve("agent.kubeconfig");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: mock
                  cluster:
                    server: http://127.0.0.1:%d
                contexts:
                - name: mock
                  context: {cluster: mock, user: agent}
                current-context: mock
                users:
                - name: agent
                  user: {token: agent-token}
                """.formatted(api.getPort()));
        pki = new TestPki();
        TestPki.Issued serving = pki.issue("CN=system:node:" + NODE, "127.0.0.1");
        TestPki.writeCertificate(serving.certificate(), dir.resolve("agent.crt"));
        TestPki.writeKey(serving.key(), dir.resolve("agent.key"));
        TestPki.writeCertificate(pki.caCertificate(), dir.resolve("ca.crt"));
        agentProperties = new HashMap<>(Map.ofEntries(
                Map.entry("server.port", 0),
                Map.entry("platform.agent.kubeconfig", kubeconfig.toString()),
                Map.entry("platform.agent.node-name", NODE),
                Map.entry("platform.agent.cluster-id", clusterId),
                Map.entry("platform.agent.tls-cert", dir.resolve("agent.crt").toString()),
                Map.entry("platform.agent.tls-key", dir.resolve("agent.key").toString()),
                Map.entry("platform.agent.client-ca", dir.resolve("ca.crt").toString()),
                Map.entry("platform.agent.docker-host", dockerHost),
                Map.entry("platform.agent.sandbox-image", "platform.local/pause:" + clusterId),
                Map.entry("platform.agent.heartbeat-interval", "1s"),
                Map.entry("platform.agent.lease-interval", "1s"),
                Map.entry("platform.agent.resync-interval", "2s"),
                Map.entry("platform.agent.orphan-interval", "2s"),
                Map.entry("platform.agent.retry-interval", "500ms"),
                Map.entry("platform.agent.restart-back-off.initial", "1s"),
                Map.entry("platform.agent.restart-back-off.max", "4s"),
                Map.entry("platform.agent.image-pull-back-off.initial", "3s"),
                Map.entry("platform.agent.image-pull-back-off.max", "10s")));
        agent = start();
    }

    @AfterAll
    static void stopAgent() throws Exception {
        if (agent != null) {
            agent.close();
        }
        if (docker != null) {
            ClusterContainers.removeAll(dockerHost, clusterId);
            try {
                docker.removeImageCmd("platform.local/pause:" + clusterId).exec();
            } catch (RuntimeException e) {
                // not built when the agent never started
            }
            docker.close();
        }
        if (client != null) {
            client.close();
        }
        if (api != null) {
            api.destroy();
        }
    }

    private static ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(NodeAgentApplication.class)
                .web(WebApplicationType.REACTIVE)
                .properties(NodeAgentApplication.defaultProperties())
                .properties(agentProperties)
                .run();
    }

    private static int agentPort() {
        return ((WebServerApplicationContext) agent).getWebServer().getPort();
    }

    @Test
    @Order(1)
    void registersTheNodeAndRenewsItsLease() {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Node node = client.nodes().withName(NODE).get();
            assertThat(node).isNotNull();
            assertThat(node.getMetadata().getLabels())
                    .containsEntry("kubernetes.io/hostname", NODE)
                    .containsEntry("kubernetes.io/os", "linux")
                    .containsKey("kubernetes.io/arch");
            assertThat(node.getStatus().getCapacity()).containsKeys("cpu", "memory", "pods");
            assertThat(node.getStatus().getCapacity().get("pods").toString()).isEqualTo("110");
            assertThat(node.getStatus().getAllocatable()).containsKeys("cpu", "memory", "pods");
            assertThat(node.getStatus().getAddresses())
                    .anySatisfy(a -> assertThat(a.getType() + "=" + a.getAddress()).isEqualTo("InternalIP=127.0.0.1"));
            assertThat(node.getStatus().getDaemonEndpoints().getKubeletEndpoint().getPort()).isEqualTo(agentPort());
            assertThat(node.getStatus().getNodeInfo().getKubeletVersion()).isEqualTo("v1.32.4");
            assertThat(node.getStatus().getNodeInfo().getContainerRuntimeVersion()).startsWith("docker://20.");
            assertThat(condition(node, "Ready")).satisfies(c -> {
                assertThat(c.getStatus()).isEqualTo("True");
                assertThat(c.getReason()).isEqualTo("KubeletReady");
            });
            assertThat(condition(node, "MemoryPressure").getStatus()).isEqualTo("False");
        });
        String firstHeartbeat = condition(client.nodes().withName(NODE).get(), "Ready").getLastHeartbeatTime();
        await().atMost(Duration.ofSeconds(5)).until(() ->
                !condition(client.nodes().withName(NODE).get(), "Ready").getLastHeartbeatTime().equals(firstHeartbeat));
        Lease lease = client.resources(Lease.class).inNamespace("kube-node-lease").withName(NODE).get();
        assertThat(lease.getSpec().getHolderIdentity()).isEqualTo(NODE);
        assertThat(lease.getSpec().getLeaseDurationSeconds()).isEqualTo(40);
        assertThat(lease.getSpec().getRenewTime()).isNotNull();
        assertThat(lease.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(o -> assertThat(o.getKind() + "/" + o.getName()).isEqualTo("Node/" + NODE));
    }

    @Test
    @Order(2)
    void runsAPodOfRealContainersAndServesItsLogs() throws Exception {
        client.pods().inNamespace(NS).resource(webPod("web")).create();
        Pod running = awaitPod("web", p -> "Running".equals(p.getStatus().getPhase())
                && p.getStatus().getPodIP() != null && "True".equals(podCondition(p, "Ready")));
        ContainerStatus status = running.getStatus().getContainerStatuses().getFirst();
        assertThat(status.getContainerID()).startsWith("docker://");
        assertThat(status.getImageID()).startsWith("docker://sha256:");
        assertThat(status.getState().getRunning().getStartedAt()).isNotNull();
        assertThat(status.getReady()).isTrue();
        assertThat(running.getStatus().getHostIP()).isEqualTo("127.0.0.1");
        assertThat(running.getStatus().getStartTime()).isNotNull();

        List<Container> containers = podContainers(running);
        assertThat(containers).hasSize(2);
        assertThat(containers).allSatisfy(c -> assertThat(c.getLabels())
                .containsEntry(ClusterContainers.CLUSTER, clusterId)
                .containsEntry(ClusterContainers.NODE, NODE)
                .containsEntry(ClusterContainers.POD_NAMESPACE, NS)
                .containsEntry(ClusterContainers.POD_NAME, "web"));
        assertThat(containers).extracting(c -> c.getNames()[0])
                .contains("/k8s_web_web_default_" + running.getMetadata().getUid() + "_0",
                        "/k8s_POD_web_default_" + running.getMetadata().getUid() + "_0");
        var inspect = docker.inspectContainerCmd(status.getContainerID().substring("docker://".length())).exec();
        assertThat(inspect.getHostConfig().getMemory()).isEqualTo(64L * 1024 * 1024);
        assertThat(inspect.getHostConfig().getNanoCPUs()).isEqualTo(500_000_000L);
        assertThat(inspect.getHostConfig().getCpuShares()).isEqualTo(102);
        assertThat(inspect.getHostConfig().getNetworkMode()).startsWith("container:");

        HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(plain.send(
                HttpRequest.newBuilder(URI.create("http://" + running.getStatus().getPodIP() + ":8080/index.html")).build(),
                HttpResponse.BodyHandlers.ofString()).body()).contains("hello from web"));

        HttpClient apiServer = HttpClient.newBuilder()
                .sslContext(pki.clientContext(pki.issue("CN=system:apiserver,O=system:masters")))
                .build();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            HttpResponse<String> logs = get(apiServer, "/containerLogs/default/web/web");
            assertThat(logs.statusCode()).isEqualTo(200);
            assertThat(logs.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
            assertThat(logs.body()).contains("serving web in default with hi").contains("to stderr");
        });
        assertThat(get(apiServer, "/containerLogs/default/web/web?tailLines=1").body().lines().count()).isEqualTo(1);
        assertThat(get(apiServer, "/containerLogs/default/web/web?limitBytes=5").body()).hasSize(5);
        assertThat(get(apiServer, "/containerLogs/default/web/web?follow=true&limitBytes=12").body()).hasSize(12);
        assertThat(get(apiServer, "/containerLogs/default/web/web?timestamps=true").body()).matches("(?s)^\\d{4}-\\d\\d-\\d\\dT.*");
        HttpResponse<String> unknownPod = get(apiServer, "/containerLogs/default/nope/web");
        assertThat(unknownPod.statusCode()).isEqualTo(404);
        assertThat(unknownPod.body()).contains("\"kind\":\"Status\"").contains("nope");
        assertThat(get(apiServer, "/containerLogs/default/web/nope").statusCode()).isEqualTo(404);
        assertThat(get(apiServer, "/healthz").body()).isEqualTo("ok");

        HttpClient wrongName = HttpClient.newBuilder().sslContext(pki.clientContext(pki.issue("CN=admin,O=system:masters"))).build();
        HttpResponse<String> refused = get(wrongName, "/containerLogs/default/web/web");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("\"reason\":\"Forbidden\"");
        HttpClient foreign = HttpClient.newBuilder()
                .sslContext(pki.clientContext(TestPki.selfSigned("CN=system:apiserver")))
                .build();
        assertThat(failsHandshake(foreign)).isTrue();
    }

    @Test
    @Order(3)
    void latestImageFailsToPullWithBackOff() {
        Pod pod = new PodBuilder()
                .withNewMetadata().withName("latest").withNamespace(NS).endMetadata()
                .withNewSpec().withNodeName(NODE)
                .addNewContainer().withName("app").withImage("busybox:latest").endContainer()
                .addNewContainer().withName("never").withImage("not-here:1.0").withImagePullPolicy("Never").endContainer()
                .addNewContainer().withName("config").withImage("busybox:1.35").addNewEnv().withName("FROM_MAP")
                .withNewValueFrom().withNewConfigMapKeyRef().withName("missing").withKey("key").endConfigMapKeyRef()
                .endValueFrom().endEnv().endContainer()
                .endSpec().build();
        client.pods().inNamespace(NS).resource(pod).create();
        Set<String> seen = new java.util.concurrent.ConcurrentSkipListSet<>();
        awaitPod("latest", p -> {
            String reason = waitingReason(p, "app");
            if (reason != null) {
                seen.add(reason);
            }
            return seen.containsAll(List.of("ErrImagePull", "ImagePullBackOff"))
                    && "ErrImageNeverPull".equals(waitingReason(p, "never"))
                    && "CreateContainerConfigError".equals(waitingReason(p, "config"));
        });
        Pod backingOff = client.pods().inNamespace(NS).withName("latest").get();
        assertThat(backingOff.getStatus().getPhase()).isEqualTo("Pending");
        assertThat(backingOff.getStatus().getContainerStatuses().getFirst().getState().getWaiting().getMessage())
                .contains("busybox:latest");
    }

    @Test
    @Order(4)
    void restartsACrashingContainerWithBackOffAndKeepsThePreviousLogs() throws Exception {
        Pod pod = new PodBuilder()
                .withNewMetadata().withName("crash").withNamespace(NS).endMetadata()
                .withNewSpec().withNodeName(NODE)
                .addNewContainer().withName("app").withImage("busybox:1.35")
                .withCommand("sh", "-c", "echo crashing; exit 3").endContainer()
                .endSpec().build();
        client.pods().inNamespace(NS).resource(pod).create();
        Pod crashing = awaitPod("crash", p -> p.getStatus().getContainerStatuses() != null
                && !p.getStatus().getContainerStatuses().isEmpty()
                && p.getStatus().getContainerStatuses().getFirst().getRestartCount() >= 2
                && "CrashLoopBackOff".equals(waitingReason(p, "app")));
        ContainerStatus status = crashing.getStatus().getContainerStatuses().getFirst();
        assertThat(status.getLastState().getTerminated().getExitCode()).isEqualTo(3);
        assertThat(status.getLastState().getTerminated().getReason()).isEqualTo("Error");
        assertThat(crashing.getStatus().getPhase()).isEqualTo("Running");
        assertThat(podContainers(crashing)).hasSizeLessThanOrEqualTo(3);
        HttpClient apiServer = HttpClient.newBuilder()
                .sslContext(pki.clientContext(pki.issue("CN=system:apiserver")))
                .build();
        assertThat(get(apiServer, "/containerLogs/default/crash/app?previous=true").body()).contains("crashing");
    }

    @Test
    @Order(5)
    void restartAdoptsRunningContainersAndRemovesThoseOfPodsDeletedMeanwhile() throws Exception {
        Pod web = client.pods().inNamespace(NS).withName("web").get();
        Set<String> before = ids(podContainers(web));
        Pod crash = client.pods().inNamespace(NS).withName("crash").get();
        agent.close();
        client.pods().inNamespace(NS).withName("crash").withGracePeriod(0).delete();
        assertThat(podContainers(crash)).isNotEmpty();

        agent = start();
        client.pods().inNamespace(NS).resource(webPod("after")).create();
        awaitPod("after", p -> "Running".equals(p.getStatus().getPhase()));
        await().atMost(Duration.ofSeconds(10)).until(() -> podContainers(crash).isEmpty());
        assertThat(ids(podContainers(web))).isEqualTo(before);
        assertThat(client.pods().inNamespace(NS).withName("web").get().getStatus().getPhase()).isEqualTo("Running");
    }

    @Test
    @Order(6)
    void gracefulDeletionStopsRemovesAndDeletesThePod() throws Exception {
        Pod original = client.pods().inNamespace(NS).withName("web").get();
        assertThat(podContainers(original)).hasSize(2);
        Pod web = original;
        // a finalizer keeps the pod visible after the agent's delete, so the test can see each step
        web.getMetadata().setFinalizers(List.of("test.platform.io/hold"));
        web = client.pods().inNamespace(NS).resource(web).update();
        web.getMetadata().setDeletionTimestamp(Instant.now().toString());
        web.getMetadata().setDeletionGracePeriodSeconds(1L);
        client.pods().inNamespace(NS).resource(web).update();
        await().atMost(Duration.ofSeconds(15)).until(() -> podContainers(original).isEmpty());
        assertThat(deleteRequested("/api/v1/namespaces/default/pods/web")).isTrue();
        Pod held = client.pods().inNamespace(NS).withName("web").get();
        held.getMetadata().setFinalizers(List.of());
        client.pods().inNamespace(NS).resource(held).update();
        await().atMost(Duration.ofSeconds(5)).until(() -> client.pods().inNamespace(NS).withName("web").get() == null);

        Pod after = client.pods().inNamespace(NS).withName("after").get();
        client.pods().inNamespace(NS).withName("after").withGracePeriod(0).delete();
        await().atMost(Duration.ofSeconds(10)).until(() -> podContainers(after).isEmpty());
    }

    private static boolean deleteRequested(String path) throws InterruptedException {
        for (var request = api.takeRequest(1, TimeUnit.SECONDS); request != null; request = api.takeRequest(1, TimeUnit.SECONDS)) {
            if ("DELETE".equals(request.getMethod()) && path.equals(request.getPath())) {
                return true;
            }
        }
        return false;
    }

    @Test
    @Order(7)
    void platformDownRemovesEveryContainerOfTheCluster() {
        Pod latest = client.pods().inNamespace(NS).withName("latest").get();
        assertThat(podContainers(latest)).isNotEmpty();
        agent.close();
        assertThat(ClusterContainers.removeAll(dockerHost, clusterId)).isPositive();
        assertThat(docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(ClusterContainers.CLUSTER, clusterId)).exec()).isEmpty();
    }

    private static Pod webPod(String name) {
        return new PodBuilder()
                .withNewMetadata().withName(name).withNamespace(NS).endMetadata()
                .withNewSpec().withNodeName(NODE).withTerminationGracePeriodSeconds(2L)
                .addNewContainer().withName("web").withImage("busybox:1.35")
                .withCommand("sh", "-c")
                .withArgs("echo serving $(POD_NAME) in $(POD_NAMESPACE) with $GREETING; echo to stderr >&2; "
                        + "echo hello from $(POD_NAME) > /tmp/index.html; exec httpd -f -p 8080 -h /tmp")
                .addNewEnv().withName("GREETING").withValue("hi").endEnv()
                .addNewEnv().withName("POD_NAME").withNewValueFrom().withNewFieldRef().withFieldPath("metadata.name")
                .endFieldRef().endValueFrom().endEnv()
                .addNewEnv().withName("POD_NAMESPACE").withNewValueFrom().withNewFieldRef()
                .withFieldPath("metadata.namespace").endFieldRef().endValueFrom().endEnv()
                .addNewPort().withContainerPort(8080).endPort()
                .withNewResources()
                .addToLimits("memory", new io.fabric8.kubernetes.api.model.Quantity("64Mi"))
                .addToLimits("cpu", new io.fabric8.kubernetes.api.model.Quantity("500m"))
                .addToRequests("cpu", new io.fabric8.kubernetes.api.model.Quantity("100m"))
                .endResources()
                .endContainer()
                .endSpec().build();
    }

    private static Pod awaitPod(String name, java.util.function.Predicate<Pod> condition) {
        return await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> client.pods().inNamespace(NS).withName(name).get(),
                        p -> p != null && p.getStatus() != null && condition.test(p));
    }

    private static List<Container> podContainers(Pod pod) {
        return docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(ClusterContainers.POD_UID, pod.getMetadata().getUid()))
                .exec();
    }

    private static Set<String> ids(List<Container> containers) {
        return containers.stream().map(Container::getId).collect(Collectors.toSet());
    }

    private static HttpResponse<String> get(HttpClient http, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + agentPort() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static boolean failsHandshake(HttpClient http) {
        try {
            get(http, "/healthz");
            return false;
        } catch (Exception e) {
            return true;
        }
    }

    private static NodeCondition condition(Node node, String type) {
        return node.getStatus().getConditions().stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
    }

    private static @Nullable String podCondition(Pod pod, String type) {
        if (pod.getStatus().getConditions() == null) {
            return null;
        }
        return pod.getStatus().getConditions().stream().filter(c -> c.getType().equals(type))
                .map(PodCondition::getStatus).findFirst().orElse(null);
    }

    private static @Nullable String waitingReason(Pod pod, String container) {
        if (pod.getStatus().getContainerStatuses() == null) {
            return null;
        }
        return pod.getStatus().getContainerStatuses().stream()
                .filter(s -> s.getName().equals(container) && s.getState() != null && s.getState().getWaiting() != null)
                .map(s -> s.getState().getWaiting().getReason())
                .findFirst().orElse(null);
    }
}
