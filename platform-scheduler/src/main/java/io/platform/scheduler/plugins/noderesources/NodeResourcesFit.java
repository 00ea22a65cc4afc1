package io.platform.scheduler.plugins.noderesources;

import io.fabric8.kubernetes.api.model.Pod;
import io.platform.common.resources.ResourceQuantities;
import io.platform.common.resources.ResourceQuantities.Amounts;
import io.platform.scheduler.framework.FilterPlugin;
import io.platform.scheduler.framework.NodeInfo;
import io.platform.scheduler.framework.ScorePlugin;
import io.platform.scheduler.framework.Status;
import java.util.ArrayList;
import java.util.List;

/**
 * Filters nodes whose allocatable CPU, memory or pod count cannot take the pod on top of what is
 * already requested there, and scores the rest by how much stays free (least allocated), as
 * kube-scheduler's NodeResourcesFit with the LeastAllocated strategy.
 */
public final class NodeResourcesFit implements FilterPlugin, ScorePlugin {

    public static final String NAME = "NodeResourcesFit";
    static final String TOO_MANY_PODS = "Too many pods";
    static final String INSUFFICIENT_CPU = "Insufficient cpu";
    static final String INSUFFICIENT_MEMORY = "Insufficient memory";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status filter(Pod pod, NodeInfo node) {
        List<String> reasons = new ArrayList<>();
        if (node.podCount() + 1 > node.allocatablePods()) {
            reasons.add(TOO_MANY_PODS);
        }
        Amounts wanted = ResourceQuantities.podRequests(pod);
        Amounts allocatable = node.allocatable();
        // as upstream, a resource the pod does not request is not checked
        if (wanted.milliCpu() > 0 && node.requested().milliCpu() + wanted.milliCpu() > allocatable.milliCpu()) {
            reasons.add(INSUFFICIENT_CPU);
        }
        if (wanted.memoryBytes() > 0 && node.requested().memoryBytes() + wanted.memoryBytes() > allocatable.memoryBytes()) {
            reasons.add(INSUFFICIENT_MEMORY);
        }
        return reasons.isEmpty() ? Status.success() : Status.unschedulable(reasons);
    }

    @Override
    public long score(Pod pod, NodeInfo node) {
        Amounts after = node.requested().plus(ResourceQuantities.podRequests(pod));
        Amounts allocatable = node.allocatable();
        return (free(after.milliCpu(), allocatable.milliCpu()) + free(after.memoryBytes(), allocatable.memoryBytes())) / 2;
    }

    private static long free(long requested, long allocatable) {
        if (allocatable <= 0 || requested > allocatable) {
            return 0;
        }
        return (allocatable - requested) * MAX_SCORE / allocatable;
    }
}
