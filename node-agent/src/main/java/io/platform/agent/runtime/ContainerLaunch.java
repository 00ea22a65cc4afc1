package io.platform.agent.runtime;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.platform.agent.volume.PodVolumes;
import java.util.List;

/**
 * Everything a runtime needs to start one container of a pod, resolved by the pod worker.
 *
 * @param sandboxId the running sandbox whose network (and, where the runtime has them, IPC and PID) namespaces it joins
 * @param attempt which start of this container this is (0 first); the restart count
 * @param env {@code NAME=value} entries, in the order Kubernetes resolves them
 * @param entrypoint replaces the image's entrypoint when not empty ({@code command})
 * @param cmd replaces the image's cmd when not empty or when {@code entrypoint} is set ({@code args})
 * @param mounts the volumes mounted into the container
 */
public record ContainerLaunch(
        Pod pod,
        Container spec,
        int attempt,
        String sandboxId,
        List<String> env,
        List<String> entrypoint,
        List<String> cmd,
        List<PodVolumes.Mount> mounts) {}
