package io.platform.scheduler.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.platform.common.resources.ResourceQuantities.Amounts;
import io.platform.scheduler.framework.FilterPlugin;
import io.platform.scheduler.framework.NodeInfo;
import io.platform.scheduler.framework.Status;
import io.platform.scheduler.plugins.nodeaffinity.NodeAffinity;
import io.platform.scheduler.plugins.noderesources.NodeResourcesFit;
import io.platform.scheduler.plugins.nodeready.NodeReady;
import io.platform.scheduler.plugins.nodeunschedulable.NodeUnschedulable;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FilterPluginsTest {

    static Stream<Arguments> cases() {
        Node ready = node("True", false, Map.of("disk", "ssd"));
        Pod plain = pod("100m", "64Mi", Map.of());
        return Stream.of(
                Arguments.of("ready node", new NodeReady(), plain, info(ready, 0, 0, 0), Status.success()),
                Arguments.of("not ready node", new NodeReady(), plain, info(node("False", false, Map.of()), 0, 0, 0),
                        Status.unresolvable("node(s) were not ready")),
                Arguments.of("cordoned node", new NodeUnschedulable(), plain, info(node("True", true, Map.of()), 0, 0, 0),
                        Status.unresolvable("node(s) were unschedulable")),
                Arguments.of("schedulable node", new NodeUnschedulable(), plain, info(ready, 0, 0, 0), Status.success()),
                Arguments.of("selector matches", new NodeAffinity(), pod("0", "0", Map.of("disk", "ssd")), info(ready, 0, 0, 0), Status.success()),
                Arguments.of("selector differs", new NodeAffinity(), pod("0", "0", Map.of("disk", "hdd")), info(ready, 0, 0, 0),
                        Status.unresolvable("node(s) didn't match Pod's node affinity/selector")),
                Arguments.of("fits", new NodeResourcesFit(), plain, info(ready, 1900, 0, 0), Status.success()),
                Arguments.of("cpu exhausted by other pods", new NodeResourcesFit(), plain, info(ready, 1950, 0, 2),
                        Status.unschedulable("Insufficient cpu")),
                Arguments.of("cpu and memory", new NodeResourcesFit(), pod("3", "8Gi", Map.of()), info(ready, 0, 0, 0),
                        Status.unschedulable("Insufficient cpu", "Insufficient memory")),
                Arguments.of("pod count", new NodeResourcesFit(), plain, info(ready, 0, 0, 3), Status.unschedulable("Too many pods")),
                Arguments.of("no requests always fit", new NodeResourcesFit(), pod("0", "0", Map.of()), info(ready, 2000, 4L << 30, 0),
                        Status.success()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void filter(String name, FilterPlugin plugin, Pod pod, NodeInfo node, Status expected) {
        assertThat(plugin.filter(pod, node)).isEqualTo(expected);
    }

    private static NodeInfo info(Node node, long milliCpu, long memory, int pods) {
        return new NodeInfo(node, new Amounts(milliCpu, memory), pods);
    }

    private static Node node(String ready, boolean unschedulable, Map<String, String> labels) {
        return new NodeBuilder().withNewMetadata().withName("n").withLabels(labels).endMetadata()
                .withNewSpec().withUnschedulable(unschedulable).endSpec()
                .withNewStatus()
                .withAllocatable(Map.of("cpu", new Quantity("2"), "memory", new Quantity("4Gi"), "pods", new Quantity("3")))
                .withConditions(List.of(new io.fabric8.kubernetes.api.model.NodeConditionBuilder().withType("Ready").withStatus(ready).build()))
                .endStatus().build();
    }

    private static Pod pod(String cpu, String memory, Map<String, String> nodeSelector) {
        return new PodBuilder().withNewMetadata().withName("p").endMetadata()
                .withNewSpec().withNodeSelector(nodeSelector)
                .addNewContainer().withName("c").withNewResources()
                .addToRequests("cpu", new Quantity(cpu)).addToRequests("memory", new Quantity(memory)).endResources().endContainer()
                .endSpec().build();
    }
}
