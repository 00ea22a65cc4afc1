package io.platform.scheduler.framework;

import io.fabric8.kubernetes.api.model.Pod;

/** Score extension point: ranks the feasible nodes for a pod. */
public interface ScorePlugin extends Plugin {

    long MAX_SCORE = 100;

    /** A score from 0 to {@link #MAX_SCORE}; higher is better. */
    long score(Pod pod, NodeInfo node);
}
