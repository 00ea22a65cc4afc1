package io.platform.scheduler.framework;

import io.fabric8.kubernetes.api.model.Pod;

/** Filter extension point: rules a node out for a pod, with reasons a person can read. */
public interface FilterPlugin extends Plugin {

    Status filter(Pod pod, NodeInfo node);
}
