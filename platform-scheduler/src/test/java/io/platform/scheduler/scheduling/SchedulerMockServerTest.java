package io.platform.scheduler.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.platform.common.events.EventRecorder;
import io.platform.common.reconcile.SharedInformers;
import io.platform.scheduler.framework.Plugin;
import io.platform.scheduler.plugins.PluginRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class SchedulerMockServerTest {

    static KubernetesMockServer server;
    static KubernetesClient client;

    private Scheduler scheduler;
    private EventRecorder events;
    private final List<Binding> bindings = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startScheduler() {
        events = new EventRecorder(client, "default-scheduler", Clock.systemUTC());
        SharedInformers informers = new SharedInformers(client, Duration.ofMinutes(10));
        List<Plugin> plugins = PluginRegistry.defaultPlugins();
        SchedulingCycle cycle = new SchedulingCycle(client, informers, events, new Binder(client),
                PluginRegistry.filters(plugins), PluginRegistry.scorers(plugins), "default-scheduler", Clock.systemUTC());
        scheduler = new Scheduler(informers, cycle, Duration.ofMillis(50), Duration.ofMillis(500));
        scheduler.start();
    }

    @AfterEach
    void stopScheduler() {
        scheduler.close();
        events.close();
    }

    /**
     * The mock's CRUD mode has no {@code pods/{name}/binding}; this answers the POST as the API server
     * does (sets {@code spec.nodeName} to the binding's target) and records what was posted.
     */
    private void emulateBindingSubresource(String... podNames) {
        for (String name : podNames) {
            server.expect().post().withPath("/api/v1/namespaces/default/pods/" + name + "/binding").andReply(201, request -> {
                Binding binding = client.getKubernetesSerialization().unmarshal(request.getUtf8Body(), Binding.class);
                bindings.add(binding);
                // off the server's event loop: the emulation calls the same server
                CompletableFuture.runAsync(() -> client.pods().inNamespace("default").withName(name)
                        .edit(pod -> new PodBuilder(pod).editSpec().withNodeName(binding.getTarget().getName()).endSpec().build()));
                return binding;
            }).always();
        }
    }

    @Test
    void bindsAFittingPodAndExplainsWhyAnotherFitsNowhere() {
        emulateBindingSubresource("small", "huge");
        client.nodes().resource(node("node-1", "2", "4Gi")).create();
        client.pods().inNamespace("default").resource(pod("small", "500m")).create();
        client.pods().inNamespace("default").resource(pod("huge", "8")).create();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Pod small = client.pods().inNamespace("default").withName("small").get();
            assertThat(small.getSpec().getNodeName()).isEqualTo("node-1");
        });
        assertThat(bindings).first().satisfies(binding -> {
            assertThat(binding.getMetadata().getName()).isEqualTo("small");
            assertThat(binding.getTarget().getKind()).isEqualTo("Node");
            assertThat(binding.getTarget().getName()).isEqualTo("node-1");
        });
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Pod huge = client.pods().inNamespace("default").withName("huge").get();
            assertThat(huge.getSpec().getNodeName()).isNullOrEmpty();
            PodCondition scheduled = huge.getStatus().getConditions().stream()
                    .filter(c -> c.getType().equals("PodScheduled")).findFirst().orElseThrow();
            assertThat(scheduled.getStatus()).isEqualTo("False");
            assertThat(scheduled.getReason()).isEqualTo("Unschedulable");
            assertThat(scheduled.getMessage()).isEqualTo("0/1 nodes are available: 1 Insufficient cpu.");
        });
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            List<Event> all = client.v1().events().inNamespace("default").list().getItems();
            assertThat(all).anySatisfy(e -> {
                assertThat(e.getReason()).isEqualTo("Scheduled");
                assertThat(e.getMessage()).isEqualTo("Successfully assigned default/small to node-1");
                assertThat(e.getInvolvedObject().getName()).isEqualTo("small");
            });
            assertThat(all).anySatisfy(e -> {
                assertThat(e.getReason()).isEqualTo("FailedScheduling");
                assertThat(e.getType()).isEqualTo("Warning");
                assertThat(e.getMessage()).isEqualTo("0/1 nodes are available: 1 Insufficient cpu.");
            });
        });

        // a bigger node arrives: the pending pod is retried at once and fits
        client.nodes().resource(node("node-2", "16", "32Gi")).create();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(client.pods().inNamespace("default").withName("huge").get().getSpec().getNodeName()).isEqualTo("node-2"));
    }

    private static Node node(String name, String cpu, String memory) {
        return new NodeBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewStatus()
                .withAllocatable(Map.of("cpu", new Quantity(cpu), "memory", new Quantity(memory), "pods", new Quantity("110")))
                .addNewCondition().withType("Ready").withStatus("True").endCondition()
                .endStatus().build();
    }

    private static Pod pod(String name, String cpu) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata()
                .withNewSpec().withSchedulerName("default-scheduler")
                .addNewContainer().withName("app").withImage("busybox:1.35")
                .withNewResources().addToRequests("cpu", new Quantity(cpu)).endResources().endContainer()
                .endSpec().build();
    }
}
