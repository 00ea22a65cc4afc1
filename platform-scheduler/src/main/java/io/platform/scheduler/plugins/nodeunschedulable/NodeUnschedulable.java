package io.platform.scheduler.plugins.nodeunschedulable;

import io.fabric8.kubernetes.api.model.Pod;
import io.platform.scheduler.framework.FilterPlugin;
import io.platform.scheduler.framework.NodeInfo;
import io.platform.scheduler.framework.Status;

/** Rules out cordoned nodes ({@code spec.unschedulable: true}), with kube-scheduler's reason. */
public final class NodeUnschedulable implements FilterPlugin {

    public static final String NAME = "NodeUnschedulable";
    static final String UNSCHEDULABLE = "node(s) were unschedulable";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status filter(Pod pod, NodeInfo node) {
        boolean cordoned = node.node().getSpec() != null && Boolean.TRUE.equals(node.node().getSpec().getUnschedulable());
        return cordoned ? Status.unresolvable(UNSCHEDULABLE) : Status.success();
    }
}
