package io.platform.agent.server.streams;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.Pod;
import io.platform.agent.pod.PodWorkers;
import io.platform.agent.runtime.ContainerInstance;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.http.HttpStatus;

/** Finds the running instance a stream request names, with the kubelet's answers when there is none. */
final class StreamTargets {

    /** Why a stream cannot start: the HTTP status and message the kubelet answers with. */
    static final class NotFound extends Exception {
        private final HttpStatus status;

        NotFound(HttpStatus status, String message) {
            super(message, null, false, false);
            this.status = status;
        }

        HttpStatus status() {
            return status;
        }
    }

    private final PodWorkers workers;
    private final String nodeName;

    StreamTargets(PodWorkers workers, String nodeName) {
        this.workers = workers;
        this.nodeName = nodeName;
    }

    Pod pod(String namespace, String podName) throws NotFound {
        Optional<Pod> pod = workers.pod(namespace, podName);
        if (pod.isEmpty()) {
            throw new NotFound(HttpStatus.NOT_FOUND, "pod \"" + podName + "\" in namespace \"" + namespace
                    + "\" is not running on node \"" + nodeName + "\"");
        }
        return pod.get();
    }

    /** The newest instance of the container, which must be running. */
    ContainerInstance running(String namespace, String podName, String container) throws NotFound {
        Pod pod = pod(namespace, podName);
        if (!names(pod).contains(container)) {
            throw new NotFound(HttpStatus.NOT_FOUND, "container \"" + container + "\" not found in pod \"" + podName + "\"");
        }
        return workers.containers(pod.getMetadata().getUid()).stream()
                .filter(instance -> instance.name().equals(container))
                .findFirst()
                .filter(ContainerInstance::running)
                .orElseThrow(() -> new NotFound(HttpStatus.BAD_REQUEST, "container \"" + container + "\" in pod \""
                        + podName + "\" is not running"));
    }

    /** The pod's running sandbox, whose network namespace port-forward connects into. */
    ContainerInstance sandbox(String namespace, String podName) throws NotFound {
        Pod pod = pod(namespace, podName);
        return workers.containers(pod.getMetadata().getUid()).stream()
                .filter(ContainerInstance::isSandbox)
                .filter(ContainerInstance::running)
                .findFirst()
                .orElseThrow(() -> new NotFound(HttpStatus.BAD_REQUEST, "pod \"" + podName + "\" has no running sandbox"));
    }

    private static List<String> names(Pod pod) {
        List<String> names = new ArrayList<>();
        pod.getSpec().getContainers().stream().map(Container::getName).forEach(names::add);
        if (pod.getSpec().getInitContainers() != null) {
            pod.getSpec().getInitContainers().stream().map(Container::getName).forEach(names::add);
        }
        if (pod.getSpec().getEphemeralContainers() != null) {
            pod.getSpec().getEphemeralContainers().stream().map(EphemeralContainer::getName).forEach(names::add);
        }
        return names;
    }
}
