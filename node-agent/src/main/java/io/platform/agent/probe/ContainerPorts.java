package io.platform.agent.probe;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/** The port a handler targets and the container spec it belongs to, resolved as the kubelet does. */
final class ContainerPorts {

    private ContainerPorts() {}

    /**
     * A port number, or the name of one of the container's ports; as the kubelet, a name no port carries
     * is tried as a number last.
     *
     * @throws IllegalArgumentException when it names no port or is out of range
     */
    static int resolve(@Nullable IntOrString port, @Nullable Container container) {
        if (port == null || (port.getIntVal() == null && port.getStrVal() == null)) {
            throw new IllegalArgumentException("no port given");
        }
        int number;
        if (port.getIntVal() != null) {
            number = port.getIntVal();
        } else {
            String name = port.getStrVal();
            List<ContainerPort> ports = container == null || container.getPorts() == null ? List.of() : container.getPorts();
            number = ports.stream()
                    .filter(p -> name.equals(p.getName()) && p.getContainerPort() != null)
                    .map(ContainerPort::getContainerPort)
                    .findFirst()
                    .orElseGet(() -> parse(name));
        }
        if (number <= 0 || number > 65535) {
            throw new IllegalArgumentException("invalid port number: " + number);
        }
        return number;
    }

    private static int parse(String name) {
        try {
            return Integer.parseInt(name);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("couldn't find port: " + name, e);
        }
    }

    /** The container of that name among the pod's app and init containers (ephemeral ones take no probes or hooks). */
    static @Nullable Container find(Pod pod, String name) {
        PodSpec spec = pod.getSpec();
        if (spec == null) {
            return null;
        }
        List<Container> all = new ArrayList<>();
        Stream.of(spec.getContainers(), spec.getInitContainers()).filter(list -> list != null).forEach(all::addAll);
        return all.stream().filter(c -> name.equals(c.getName())).findFirst().orElse(null);
    }

    /** {@code name_namespace(uid)}, how the kubelet names a pod in hook messages. */
    static String podName(Pod pod) {
        return pod.getMetadata().getName() + "_" + pod.getMetadata().getNamespace() + "(" + pod.getMetadata().getUid() + ")";
    }
}
