package io.platform.console.overview;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.platform.console.ConsoleProperties;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterOverviewViewTest {

    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

    @Test
    void buildsNodeRowsAsKubectlShowsThem() {
        Node ready = node("node-b", "True", false, "2025-06-01T11:59:30Z");
        Node cordoned = node("node-a", "False", true, "2025-05-30T12:00:00Z");
        Node unknown = new NodeBuilder().withNewMetadata().withName("node-c").endMetadata().build();

        ClusterSnapshot snapshot = ClusterSnapshot.of(List.of(ready, cordoned, unknown), List.of(), NOW);

        assertThat(snapshot.nodes()).containsExactly(
                new NodeRow("node-a", "NotReady,SchedulingDisabled", "InternalIP 10.0.0.1, Hostname node-a", "1500m",
                        "7.5 GiB", "2d"),
                new NodeRow("node-b", "Ready", "InternalIP 10.0.0.1, Hostname node-b", "1500m", "7.5 GiB", "30s"),
                new NodeRow("node-c", "Unknown", "", "", "", "<unknown>"));
    }

    @Test
    void buildsPodRowsWithKubectlsStatusColumn() {
        Pod running = podBuilder("default", "web-1").editStatus().withPhase("Running").withPodIP("172.17.0.3")
                .addNewContainerStatus().withName("web").withReady(true).withRestartCount(2)
                .withNewState().withNewRunning().endRunning().endState().endContainerStatus()
                .addNewContainerStatus().withName("sidecar").withReady(false).withRestartCount(1)
                .withNewState().withNewWaiting().withReason("CrashLoopBackOff").endWaiting().endState()
                .endContainerStatus().endStatus().build();
        Pod pending = podBuilder("default", "web-0").editStatus().withPhase("Pending").endStatus()
                .editSpec().withNodeName(null).endSpec().build();
        Pod initializing = podBuilder("kube-system", "dns").editSpec().addNewInitContainer().withName("setup")
                .endInitContainer().endSpec().editStatus().withPhase("Pending").addNewInitContainerStatus()
                .withName("setup").withNewState().withNewRunning().endRunning().endState().endInitContainerStatus()
                .endStatus().build();
        Pod terminating = podBuilder("apps", "old").editMetadata().withDeletionTimestamp("2025-06-01T11:59:00Z")
                .endMetadata().editStatus().withPhase("Running").endStatus().build();

        ClusterSnapshot snapshot = ClusterSnapshot.of(List.of(), List.of(running, pending, initializing, terminating),
                NOW);

        assertThat(snapshot.pods()).containsExactly(
                new PodRow("apps", "old", "Terminating", "0/2", 0, "node-a", "", "5m"),
                new PodRow("default", "web-0", "Pending", "0/2", 0, "", "", "5m"),
                new PodRow("default", "web-1", "CrashLoopBackOff", "1/2", 3, "node-a", "172.17.0.3", "5m"),
                new PodRow("kube-system", "dns", "Init:0/1", "0/2", 0, "node-a", "", "5m"));
    }

    @Test
    void viewShowsTheRowsAndSaysWhenTheApiCannotBeReached() {
        ClusterOverviewView view = new ClusterOverviewView(snapshotsNeverStarted(), properties());
        assertThat(view.statusText()).isEqualTo("Reading the cluster…");

        ClusterSnapshot read = ClusterSnapshot.of(List.of(node("node-a", "True", false, "2025-06-01T11:00:00Z")),
                List.of(pod("default", "web-1")), NOW);
        view.show(read);
        assertThat(view.nodeRows()).extracting(NodeRow::name).containsExactly("node-a");
        assertThat(view.podRows()).extracting(PodRow::name).containsExactly("web-1");
        assertThat(view.statusText()).startsWith("1 node, 1 pod · updated ");

        view.show(read.failed("Cannot reach the API server at https://127.0.0.1:1/: Connection refused"));
        assertThat(view.statusText()).startsWith("Cannot reach the API server at https://127.0.0.1:1/")
                .contains("showing what was read at");
        assertThat(view.nodeRows()).hasSize(1);
    }

    @Test
    void ageFollowsKubectlsHumanDuration() {
        assertThat(Ages.human(Duration.ofSeconds(119))).isEqualTo("119s");
        assertThat(Ages.human(Duration.ofSeconds(125))).isEqualTo("2m5s");
        assertThat(Ages.human(Duration.ofMinutes(10))).isEqualTo("10m");
        assertThat(Ages.human(Duration.ofMinutes(200))).isEqualTo("3h20m");
        assertThat(Ages.human(Duration.ofHours(30))).isEqualTo("30h");
        assertThat(Ages.human(Duration.ofHours(50))).isEqualTo("2d2h");
        assertThat(Ages.human(Duration.ofDays(400))).isEqualTo("400d");
        assertThat(Ages.human(Duration.ofDays(365 * 3 + 5))).isEqualTo("3y5d");
    }

    private static ClusterSnapshots snapshotsNeverStarted() {
        Config config = new ConfigBuilder(Config.empty()).withMasterUrl("https://127.0.0.1:1").build();
        return new ClusterSnapshots(new KubernetesClientBuilder().withConfig(config).build(), properties(),
                Clock.systemUTC());
    }

    private static ConsoleProperties properties() {
        return new ConsoleProperties(Path.of("unused.kubeconfig"), Duration.ofSeconds(5), Duration.ofSeconds(2));
    }

    private static Node node(String name, String ready, boolean unschedulable, String created) {
        return new NodeBuilder()
                .withNewMetadata().withName(name).withCreationTimestamp(created).endMetadata()
                .withNewSpec().withUnschedulable(unschedulable).endSpec()
                .withNewStatus()
                .addNewCondition().withType("Ready").withStatus(ready).endCondition()
                .addNewAddress().withType("InternalIP").withAddress("10.0.0.1").endAddress()
                .addNewAddress().withType("Hostname").withAddress(name).endAddress()
                .withAllocatable(Map.of("cpu", new Quantity("1500m"), "memory", new Quantity("7680Mi")))
                .endStatus()
                .build();
    }

    private static PodBuilder podBuilder(String namespace, String name) {
        return new PodBuilder()
                .withNewMetadata().withNamespace(namespace).withName(name)
                .withCreationTimestamp("2025-06-01T11:55:00Z").endMetadata()
                .withNewSpec().withNodeName("node-a")
                .addNewContainer().withName("web").withImage("busybox:1.35").endContainer()
                .addNewContainer().withName("sidecar").withImage("busybox:1.35").endContainer()
                .endSpec()
                .withNewStatus().endStatus();
    }

    private static Pod pod(String namespace, String name) {
        return podBuilder(namespace, name).build();
    }
}
