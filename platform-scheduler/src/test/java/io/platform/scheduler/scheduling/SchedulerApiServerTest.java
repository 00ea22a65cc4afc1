package io.platform.scheduler.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.platform.api.testing.RunningApiServer;
import io.platform.common.client.KubeconfigClients;
import io.platform.common.events.EventRecorder;
import io.platform.common.reconcile.SharedInformers;
import io.platform.scheduler.framework.Plugin;
import io.platform.scheduler.plugins.PluginRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The scheduler against the real API server: binding through {@code pods/{name}/binding}, status and events. */
class SchedulerApiServerTest {

    private static final String NAMESPACE = "scheduling";

    private static RunningApiServer server;
    private static KubernetesClient admin;

    private KubernetesClient schedulerClient;
    private Scheduler scheduler;
    private EventRecorder events;

    @BeforeAll
    static void startApiServer() {
        server = RunningApiServer.start("node-a");
        admin = KubeconfigClients.fromFile(server.pki().adminKubeconfig());
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build()).create();
    }

    @AfterAll
    static void stopApiServer() {
        admin.close();
        server.close();
    }

    @BeforeEach
    void startScheduler() {
        schedulerClient = KubeconfigClients.fromFile(server.pki().schedulerKubeconfig());
        events = new EventRecorder(schedulerClient, "default-scheduler", Clock.systemUTC());
        SharedInformers informers = new SharedInformers(schedulerClient, Duration.ofMinutes(10));
        List<Plugin> plugins = PluginRegistry.defaultPlugins();
        SchedulingCycle cycle = new SchedulingCycle(schedulerClient, informers, events, new Binder(schedulerClient),
                PluginRegistry.filters(plugins), PluginRegistry.scorers(plugins), "default-scheduler", Clock.systemUTC());
        scheduler = new Scheduler(informers, cycle, Duration.ofMillis(50), Duration.ofMillis(500), Duration.ofSeconds(5));
        scheduler.start();
        await().atMost(Duration.ofSeconds(10)).until(scheduler::hasSynced);
    }

    @AfterEach
    void stopScheduler() {
        // every test starts from a cluster without nodes: messages such as "0/1 nodes" count them
        admin.nodes().delete();
        await().atMost(Duration.ofSeconds(10)).until(() -> admin.nodes().list().getItems().isEmpty());
        scheduler.close();
        events.close();
        schedulerClient.close();
    }

    @Test
    void bindsAFittingPodAndExplainsWhyAnotherFitsNowhereUntilABiggerNodeAppears() {
        createReadyNode("node-1", "2", "4Gi");
        admin.pods().inNamespace(NAMESPACE).resource(pod("small", "500m")).create();
        admin.pods().inNamespace(NAMESPACE).resource(pod("huge", "8")).create();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Pod small = admin.pods().inNamespace(NAMESPACE).withName("small").get();
            assertThat(small.getSpec().getNodeName()).isEqualTo("node-1");
        });
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Pod huge = admin.pods().inNamespace(NAMESPACE).withName("huge").get();
            assertThat(huge.getSpec().getNodeName()).isNullOrEmpty();
            PodCondition scheduled = condition(huge, "PodScheduled");
            assertThat(scheduled.getStatus()).isEqualTo("False");
            assertThat(scheduled.getReason()).isEqualTo("Unschedulable");
            assertThat(scheduled.getMessage()).isEqualTo("0/1 nodes are available: 1 Insufficient cpu.");
        });
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            List<Event> all = admin.v1().events().inNamespace(NAMESPACE).list().getItems();
            assertThat(all).anySatisfy(e -> {
                assertThat(e.getReason()).isEqualTo("Scheduled");
                assertThat(e.getMessage()).isEqualTo("Successfully assigned " + NAMESPACE + "/small to node-1");
                assertThat(e.getInvolvedObject().getName()).isEqualTo("small");
            });
            assertThat(all).anySatisfy(e -> {
                assertThat(e.getReason()).isEqualTo("FailedScheduling");
                assertThat(e.getType()).isEqualTo("Warning");
                assertThat(e.getInvolvedObject().getName()).isEqualTo("huge");
                assertThat(e.getMessage()).isEqualTo("0/1 nodes are available: 1 Insufficient cpu.");
            });
        });

        // a bigger node arrives: the pending pod is retried at once and fits
        createReadyNode("node-2", "16", "32Gi");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(admin.pods().inNamespace(NAMESPACE).withName("huge").get().getSpec().getNodeName()).isEqualTo("node-2"));
    }

    @Test
    void leavesPodsOfAnotherSchedulerAlone() {
        createReadyNode("node-other", "4", "8Gi");
        Pod foreign = new PodBuilder(pod("foreign", "100m")).editSpec().withSchedulerName("someone-else").endSpec().build();
        admin.pods().inNamespace(NAMESPACE).resource(foreign).create();
        admin.pods().inNamespace(NAMESPACE).resource(pod("ours", "100m")).create();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(admin.pods().inNamespace(NAMESPACE).withName("ours").get().getSpec().getNodeName()).isNotEmpty());
        Pod untouched = admin.pods().inNamespace(NAMESPACE).withName("foreign").get();
        assertThat(untouched.getSpec().getNodeName()).isNullOrEmpty();
        assertThat(untouched.getStatus() == null || untouched.getStatus().getConditions() == null
                || untouched.getStatus().getConditions().stream().noneMatch(c -> c.getType().equals("PodScheduled"))).isTrue();
    }

    /** Registers a node as the node agent does: the object first, then Ready and allocatable through the status subresource. */
    private static void createReadyNode(String name, String cpu, String memory) {
        admin.nodes().resource(new NodeBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
        admin.nodes().withName(name).editStatus(node -> new NodeBuilder(node).withStatus(new NodeStatusBuilder()
                .withAllocatable(Map.of("cpu", new Quantity(cpu), "memory", new Quantity(memory), "pods", new Quantity("110")))
                .withCapacity(Map.of("cpu", new Quantity(cpu), "memory", new Quantity(memory), "pods", new Quantity("110")))
                .addNewCondition().withType("Ready").withStatus("True").withReason("KubeletReady").endCondition()
                .build()).build());
    }

    private static PodCondition condition(Pod pod, String type) {
        return pod.getStatus().getConditions().stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
    }

    private static Pod pod(String name, String cpu) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace(NAMESPACE).endMetadata()
                .withNewSpec().withSchedulerName("default-scheduler")
                .addNewContainer().withName("app").withImage("busybox:1.35")
                .withNewResources().addToRequests("cpu", new Quantity(cpu)).endResources().endContainer()
                .endSpec().build();
    }
}
