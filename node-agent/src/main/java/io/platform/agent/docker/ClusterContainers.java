package io.platform.agent.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The labels every container the agent creates carries, and operations over all containers of one
 * cluster. Containers without the cluster's label are never touched.
 */
public final class ClusterContainers {

    public static final String CLUSTER = "io.platform.cluster";
    public static final String NODE = "io.platform.node";
    public static final String POD_UID = "io.platform.pod-uid";
    public static final String POD_NAMESPACE = "io.platform.pod-namespace";
    public static final String POD_NAME = "io.platform.pod-name";
    public static final String CONTAINER = "io.platform.container";
    /** Which start of the container this is (0 for the first); the restart count is the latest one. */
    public static final String ATTEMPT = "io.platform.attempt";
    /** Value of {@link #CONTAINER} on the pod's sandbox, as the kubelet's {@code POD} container. */
    public static final String SANDBOX = io.platform.agent.runtime.ContainerInstance.SANDBOX;

    private ClusterContainers() {}

    /** The labels of one instance of a pod's container (or sandbox), on every runtime. */
    public static Map<String, String> labels(String clusterId, String nodeName, Pod pod, String container, int attempt) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(CLUSTER, clusterId);
        labels.put(NODE, nodeName);
        labels.put(POD_UID, pod.getMetadata().getUid());
        labels.put(POD_NAMESPACE, pod.getMetadata().getNamespace());
        labels.put(POD_NAME, pod.getMetadata().getName());
        labels.put(CONTAINER, container);
        labels.put(ATTEMPT, Integer.toString(attempt));
        return labels;
    }

    /** Force-removes every container labelled with {@code clusterId}; returns how many. */
    public static int removeAll(String dockerHost, String clusterId) {
        try (DockerClient docker = DockerEngines.connect(dockerHost)) {
            return removeAll(docker, clusterId);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Force-removes every container labelled with {@code clusterId} through an open client. */
    public static int removeAll(DockerClient docker, String clusterId) {
        List<Container> containers = docker.listContainersCmd()
                .withShowAll(true)
                .withLabelFilter(Map.of(CLUSTER, clusterId))
                .exec();
        int removed = 0;
        for (Container container : containers) {
            try {
                docker.removeContainerCmd(container.getId()).withForce(true).withRemoveVolumes(true).exec();
                removed++;
            } catch (NotFoundException e) {
                // already gone: someone removed it between list and remove
            }
        }
        return removed;
    }
}
