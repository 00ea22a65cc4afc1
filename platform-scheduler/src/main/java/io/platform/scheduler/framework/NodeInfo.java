package io.platform.scheduler.framework;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Quantity;
import io.platform.common.resources.ResourceQuantities;
import io.platform.common.resources.ResourceQuantities.Amounts;
import java.util.Map;

/**
 * A node as the scheduler sees it in one cycle: the Node object plus what the pods already on it
 * (bound or assumed) request.
 */
public record NodeInfo(Node node, Amounts requested, int podCount) {

    public String name() {
        return node.getMetadata().getName();
    }

    /** Allocatable CPU and memory; a node that reports none has none. */
    public Amounts allocatable() {
        Map<String, Quantity> allocatable = allocatableList();
        return new Amounts(ResourceQuantities.milliCpu(allocatable.get(ResourceQuantities.CPU)),
                ResourceQuantities.bytes(allocatable.get(ResourceQuantities.MEMORY)));
    }

    public long allocatablePods() {
        return ResourceQuantities.count(allocatableList().get(ResourceQuantities.PODS));
    }

    private Map<String, Quantity> allocatableList() {
        if (node.getStatus() == null) {
            return Map.of();
        }
        Map<String, Quantity> allocatable = node.getStatus().getAllocatable();
        if (allocatable == null || allocatable.isEmpty()) {
            allocatable = node.getStatus().getCapacity();
        }
        return allocatable == null ? Map.of() : allocatable;
    }
}
