package io.platform.scheduler.plugins.nodeready;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.platform.scheduler.framework.FilterPlugin;
import io.platform.scheduler.framework.NodeInfo;
import io.platform.scheduler.framework.Status;

/**
 * Rules out nodes whose Ready condition is not True. Kubernetes reaches the same result through the
 * {@code node.kubernetes.io/not-ready} taint; we check the condition until taints are supported.
 */
public final class NodeReady implements FilterPlugin {

    public static final String NAME = "NodeReady";
    static final String NOT_READY = "node(s) were not ready";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status filter(Pod pod, NodeInfo node) {
        return ready(node.node()) ? Status.success() : Status.unresolvable(NOT_READY);
    }

    static boolean ready(Node node) {
        return node.getStatus() != null && node.getStatus().getConditions() != null
                && node.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }
}
