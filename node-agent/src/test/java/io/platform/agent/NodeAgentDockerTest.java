package io.platform.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.platform.agent.docker.ClusterContainers;
import io.platform.agent.docker.DockerEngines;
import io.platform.agent.testing.AgentCluster;
import io.platform.agent.testing.DockerTestEngine;
import io.platform.agent.testing.RequiresDockerEngine;
import io.platform.agent.testing.TestPki;
import io.platform.agent.volume.PodVolumes;
import io.platform.api.pki.IssuedCertificate;
import io.platform.api.testing.RunningApiServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The agent against a real Docker engine ({@code DOCKER_HOST}) and the real API server (HTTPS,
 * client certificates, SQLite store): registration, pods with real containers, logs through its
 * authenticated API and through the API server's {@code pods/log} proxy, restart with re-adoption,
 * pull policies, crash loop, sandbox replacement, OOM kills, graceful deletion.
 */
@RequiresDockerEngine
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NodeAgentDockerTest {

    private static final String NODE = "agent-test-node";
    private static final String NS = "default";

    private static String dockerHost;
    private static String clusterId;
    private static RunningApiServer server;
    private static KubernetesClient client;
    private static DockerClient docker;
    private static X509Certificate ca;
    private static AgentCluster cluster;
    private static Path rootDir;

    @BeforeAll
    static void startAgent() {
        cluster = AgentCluster.start(NODE, Map.of());
        dockerHost = DockerTestEngine.host();
        docker = DockerEngines.connect(dockerHost);
        server = cluster.server();
        client = cluster.client();
        clusterId = cluster.clusterId();
        rootDir = cluster.rootDir();
        ca = server.pki().authority().certificate();
    }

    @AfterAll
    static void stopAgent() throws IOException {
        if (docker != null) {
            docker.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private static int agentPort() {
        return cluster.agentPort();
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
            // where the local-path provisioner puts this node's volumes, which only the node knows
            assertThat(node.getMetadata().getAnnotations()).containsEntry(PodVolumes.LOCAL_PATH_ROOT_ANNOTATION,
                    rootDir.toAbsolutePath().normalize().resolve("local-path").toString());
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

        // the certificate the API server itself presents to agents
        HttpClient apiServer = HttpClient.newBuilder().sslContext(clientContext(IssuedCertificate.read(
                server.pki().apiServerNodeClientCertificate(), server.pki().apiServerNodeClientKey()))).build();
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

        // every call is authorized by a SubjectAccessReview on nodes/proxy: a user without that right is refused
        HttpClient withoutRights = HttpClient.newBuilder()
                .sslContext(clientContext(server.pki().authority().issueClient("nobody", List.of())))
                .build();
        HttpResponse<String> refused = get(withoutRights, "/containerLogs/default/web/web");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("\"reason\":\"Forbidden\"")
                .contains("Forbidden (user=nobody, verb=get, resource=nodes, subresource(s)=[proxy])");
        // a certificate no cluster CA signed authenticates nobody: the client does not even offer it
        TestPki.Issued foreignCert = TestPki.selfSigned("CN=system:apiserver");
        HttpClient foreign = HttpClient.newBuilder()
                .sslContext(TestPki.clientContext(foreignCert.key(), foreignCert.certificate(), ca))
                .build();
        assertThat(get(foreign, "/containerLogs/default/web/web").statusCode()).isEqualTo(401);
    }

    @Test
    @Order(3)
    void servesLogsThroughTheApiServerWithSecretEnvAndSinceSeconds() {
        client.secrets().inNamespace(NS).resource(new SecretBuilder()
                .withNewMetadata().withName("token").endMetadata()
                .addToStringData("value", "s3cr3t")
                .build()).create();
        Pod pod = new PodBuilder()
                .withNewMetadata().withName("talker").withNamespace(NS).endMetadata()
                .withNewSpec().withNodeName(NODE).withTerminationGracePeriodSeconds(1L)
                .addNewContainer().withName("app").withImage("busybox:1.35")
                .withCommand("sh", "-c", "echo early token=$TOKEN; sleep 4; echo late; exec sleep 3600")
                .addNewEnv().withName("TOKEN").withNewValueFrom().withNewSecretKeyRef().withName("token").withKey("value")
                .endSecretKeyRef().endValueFrom().endEnv()
                .endContainer()
                .endSpec().build();
        client.pods().inNamespace(NS).resource(pod).create();
        awaitPod("talker", p -> "Running".equals(p.getStatus().getPhase()));

        // GET pods/talker/log on the API server, as kubectl logs does: proxied to this agent
        var logs = client.pods().inNamespace(NS).withName("talker");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(logs.getLog()).contains("late"));
        String withTimestamps = logs.usingTimestamps().getLog();
        assertThat(withTimestamps.lines()).hasSize(2);
        assertThat(withTimestamps).contains("early token=s3cr3t\n").endsWith("late\n");
        Instant early = Instant.parse(withTimestamps.lines().toList().get(0).split(" ")[0]);
        Instant late = Instant.parse(withTimestamps.lines().toList().get(1).split(" ")[0]);
        // Docker stamps a line when it reads it from the container, so the 4 s sleep shows as a little less
        assertThat(Duration.between(early, late)).isGreaterThanOrEqualTo(Duration.ofMillis(3500));
        // a window reaching back to the middle between the two lines: only the later one is in it
        Instant middle = early.plus(Duration.between(early, late).dividedBy(2));
        int sinceSeconds = (int) Math.ceil(Duration.between(middle, Instant.now()).toMillis() / 1000.0);
        assertThat(logs.sinceSeconds(sinceSeconds).getLog()).isEqualTo("late\n");
        assertThat(logs.sinceSeconds(3600).getLog()).isEqualTo("early token=s3cr3t\nlate\n");
    }

    @Test
    @Order(4)
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
        Set<String> seen = new ConcurrentSkipListSet<>();
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
    @Order(5)
    void restartsACrashingContainerWithBackOffAndKeepsThePreviousLogs() {
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
        // kubectl logs --previous, through the API server
        assertThat(client.pods().inNamespace(NS).withName("crash").terminated().getLog()).contains("crashing");
    }

    @Test
    @Order(6)
    void replacesADeadSandboxAndRestartsTheContainersInIt() {
        Pod pod = new PodBuilder()
                .withNewMetadata().withName("phoenix").withNamespace(NS).endMetadata()
                .withNewSpec().withNodeName(NODE).withTerminationGracePeriodSeconds(1L)
                .addNewContainer().withName("app").withImage("busybox:1.35").withCommand("sleep", "3600").endContainer()
                .endSpec().build();
        client.pods().inNamespace(NS).resource(pod).create();
        Pod first = awaitPod("phoenix", p -> "True".equals(podCondition(p, "Ready")));
        Container sandbox = sandboxOf(first);
        String firstApp = first.getStatus().getContainerStatuses().getFirst().getContainerID();

        docker.killContainerCmd(sandbox.getId()).exec();

        // as the kubelet: a new sandbox, the containers of the old one killed and started again in it
        Pod replaced = awaitPod("phoenix", p -> "True".equals(podCondition(p, "Ready"))
                && p.getStatus().getContainerStatuses().getFirst().getRestartCount() == 1);
        ContainerStatus status = replaced.getStatus().getContainerStatuses().getFirst();
        assertThat(status.getContainerID()).isNotEqualTo(firstApp);
        assertThat(status.getState().getRunning()).isNotNull();
        assertThat(status.getLastState().getTerminated()).isNotNull();
        assertThat(status.getLastState().getTerminated().getContainerID()).isEqualTo(firstApp);
        assertThat(replaced.getStatus().getPhase()).isEqualTo("Running");
        assertThat(replaced.getStatus().getPodIP()).isNotNull();
        Container newSandbox = sandboxOf(replaced);
        assertThat(newSandbox.getId()).isNotEqualTo(sandbox.getId());
        assertThat(newSandbox.getState()).isEqualTo("running");
        assertThat(newSandbox.getNames()[0]).endsWith("_" + replaced.getMetadata().getUid() + "_1");
        assertThat(docker.inspectContainerCmd(status.getContainerID().substring("docker://".length())).exec()
                .getHostConfig().getNetworkMode()).isEqualTo("container:" + newSandbox.getId());
    }

    @Test
    @Order(7)
    void reportsAContainerKilledForExceedingItsMemoryLimitAsOomKilled() {
        Pod pod = new PodBuilder()
                .withNewMetadata().withName("hungry").withNamespace(NS).endMetadata()
                .withNewSpec().withNodeName(NODE).withRestartPolicy("Never")
                .addNewContainer().withName("app").withImage("busybox:1.35")
                // the shell holds 64 MiB in a variable: far beyond the 16 MiB limit
                .withCommand("sh", "-c", "x=$(head -c 64m /dev/zero | tr '\\0' a); echo survived ${#x}")
                .withNewResources().addToLimits("memory", new Quantity("16Mi")).endResources()
                .endContainer()
                .endSpec().build();
        client.pods().inNamespace(NS).resource(pod).create();
        Pod failed = awaitPod("hungry", p -> "Failed".equals(p.getStatus().getPhase()));
        ContainerStateTerminated terminated = failed.getStatus().getContainerStatuses().getFirst().getState().getTerminated();
        assertThat(terminated.getReason()).isEqualTo("OOMKilled");
        assertThat(terminated.getExitCode()).isEqualTo(137);
        assertThat(failed.getStatus().getContainerStatuses().getFirst().getRestartCount()).isZero();
    }

    @Test
    @Order(8)
    void restartAdoptsRunningContainersAndRemovesThoseOfPodsDeletedMeanwhile() {
        Pod web = client.pods().inNamespace(NS).withName("web").get();
        Set<String> before = ids(podContainers(web));
        Pod crash = client.pods().inNamespace(NS).withName("crash").get();
        cluster.stopAgent();
        client.pods().inNamespace(NS).withName("crash").withGracePeriod(0).delete();
        await().atMost(Duration.ofSeconds(5)).until(() -> client.pods().inNamespace(NS).withName("crash").get() == null);
        assertThat(podContainers(crash)).isNotEmpty();

        cluster.startAgent();
        client.pods().inNamespace(NS).resource(webPod("after")).create();
        awaitPod("after", p -> "Running".equals(p.getStatus().getPhase()));
        await().atMost(Duration.ofSeconds(10)).until(() -> podContainers(crash).isEmpty());
        assertThat(ids(podContainers(web))).isEqualTo(before);
        assertThat(client.pods().inNamespace(NS).withName("web").get().getStatus().getPhase()).isEqualTo("Running");
    }

    @Test
    @Order(9)
    void gracefulDeletionStopsRemovesAndDeletesThePod() {
        Pod web = client.pods().inNamespace(NS).withName("web").get();
        assertThat(podContainers(web)).hasSize(2);
        client.pods().inNamespace(NS).withName("web").delete();
        // the API server only marks a bound pod; the agent deletes it (grace 0) once its containers are gone
        Pod terminating = client.pods().inNamespace(NS).withName("web").get();
        assertThat(terminating).isNotNull();
        assertThat(terminating.getMetadata().getDeletionTimestamp()).isNotNull();
        assertThat(terminating.getMetadata().getDeletionGracePeriodSeconds()).isEqualTo(2L);
        await().atMost(Duration.ofSeconds(15)).until(() -> client.pods().inNamespace(NS).withName("web").get() == null);
        assertThat(podContainers(web)).isEmpty();

        Pod after = client.pods().inNamespace(NS).withName("after").get();
        client.pods().inNamespace(NS).withName("after").withGracePeriod(0).delete();
        await().atMost(Duration.ofSeconds(10)).until(() -> podContainers(after).isEmpty());
    }

    @Test
    @Order(10)
    void platformDownRemovesEveryContainerOfTheCluster() {
        Pod latest = client.pods().inNamespace(NS).withName("latest").get();
        assertThat(podContainers(latest)).isNotEmpty();
        cluster.stopAgent();
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
                .addToLimits("memory", new Quantity("64Mi"))
                .addToLimits("cpu", new Quantity("500m"))
                .addToRequests("cpu", new Quantity("100m"))
                .endResources()
                .endContainer()
                .endSpec().build();
    }

    private static Pod awaitPod(String name, Predicate<Pod> condition) {
        return await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> client.pods().inNamespace(NS).withName(name).get(),
                        p -> p != null && p.getStatus() != null && condition.test(p));
    }

    private static List<Container> podContainers(Pod pod) {
        return docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(ClusterContainers.POD_UID, pod.getMetadata().getUid()))
                .exec();
    }

    private static Container sandboxOf(Pod pod) {
        return podContainers(pod).stream()
                .filter(c -> ClusterContainers.SANDBOX.equals(c.getLabels().get(ClusterContainers.CONTAINER)))
                .filter(c -> "running".equals(c.getState()))
                .findFirst().orElseThrow();
    }

    private static Set<String> ids(List<Container> containers) {
        return containers.stream().map(Container::getId).collect(Collectors.toSet());
    }

    private static SSLContext clientContext(IssuedCertificate client) throws Exception {
        return TestPki.clientContext(client.privateKey(), client.certificate(), ca);
    }

    private static HttpResponse<String> get(HttpClient http, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + agentPort() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
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
