package io.platform.scheduler.plugins.nodeaffinity;

import io.fabric8.kubernetes.api.model.Pod;
import io.platform.common.selector.LabelSelectors;
import io.platform.scheduler.framework.FilterPlugin;
import io.platform.scheduler.framework.NodeInfo;
import io.platform.scheduler.framework.Status;

/** Rules out nodes whose labels do not contain the pod's {@code nodeSelector}, with kube-scheduler's reason. */
public final class NodeAffinity implements FilterPlugin {

    public static final String NAME = "NodeAffinity";
    static final String NO_MATCH = "node(s) didn't match Pod's node affinity/selector";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status filter(Pod pod, NodeInfo node) {
        boolean matches = LabelSelectors.containsAll(pod.getSpec().getNodeSelector(), node.node().getMetadata().getLabels());
        return matches ? Status.success() : Status.unresolvable(NO_MATCH);
    }
}
