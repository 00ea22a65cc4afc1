package io.platform.agent.pod;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The service environment variables the kubelet gives every container: {@code <NAME>_SERVICE_HOST},
 * {@code <NAME>_SERVICE_PORT}, one {@code <NAME>_SERVICE_PORT_<PORT NAME>} per named port and
 * Docker-link style {@code <NAME>_PORT*}, for {@code default/kubernetes} always and for the services
 * of the pod's own namespace unless the pod sets {@code enableServiceLinks: false}. Services without
 * a ClusterIP (headless, ExternalName) get none.
 */
final class ServiceLinks {

    static final String MASTER_NAMESPACE = "default";
    static final String MASTER_SERVICE = "kubernetes";

    private ServiceLinks() {}

    static Map<String, String> variables(Collection<Service> services, String namespace, boolean enableServiceLinks) {
        // by name: a service of the pod's namespace named kubernetes replaces default/kubernetes, as the kubelet's map does
        Map<String, Service> byName = new TreeMap<>();
        for (Service service : services) {
            if (!hasClusterIp(service)) {
                continue;
            }
            String name = service.getMetadata().getName();
            String serviceNamespace = service.getMetadata().getNamespace();
            if (MASTER_NAMESPACE.equals(serviceNamespace) && MASTER_SERVICE.equals(name)) {
                byName.putIfAbsent(name, service);
            } else if (namespace.equals(serviceNamespace) && enableServiceLinks) {
                byName.put(name, service);
            }
        }
        Map<String, String> env = new LinkedHashMap<>();
        byName.values().forEach(service -> add(env, service));
        return env;
    }

    private static void add(Map<String, String> env, Service service) {
        if (service.getSpec().getPorts() == null || service.getSpec().getPorts().isEmpty()) {
            return;
        }
        String prefix = variableName(service.getMetadata().getName());
        String ip = service.getSpec().getClusterIP();
        env.put(prefix + "_SERVICE_HOST", ip);
        env.put(prefix + "_SERVICE_PORT", Integer.toString(service.getSpec().getPorts().getFirst().getPort()));
        for (ServicePort port : service.getSpec().getPorts()) {
            if (port.getName() != null && !port.getName().isEmpty()) {
                env.put(prefix + "_SERVICE_PORT_" + variableName(port.getName()), Integer.toString(port.getPort()));
            }
        }
        boolean first = true;
        for (ServicePort port : service.getSpec().getPorts()) {
            String protocol = port.getProtocol() == null || port.getProtocol().isEmpty() ? "TCP" : port.getProtocol();
            String lower = protocol.toLowerCase(Locale.ROOT);
            String hostPort = (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + port.getPort();
            if (first) {
                // Docker links name the first port without its number
                env.put(prefix + "_PORT", lower + "://" + hostPort);
                first = false;
            }
            String portPrefix = prefix + "_PORT_" + port.getPort() + "_" + protocol.toUpperCase(Locale.ROOT);
            env.put(portPrefix, lower + "://" + hostPort);
            env.put(portPrefix + "_PROTO", lower);
            env.put(portPrefix + "_PORT", Integer.toString(port.getPort()));
            env.put(portPrefix + "_ADDR", ip);
        }
    }

    private static boolean hasClusterIp(Service service) {
        String ip = service.getSpec() == null ? null : service.getSpec().getClusterIP();
        return ip != null && !ip.isEmpty() && !ip.equals("None");
    }

    private static String variableName(String name) {
        return name.toUpperCase(Locale.ROOT).replace('-', '_');
    }
}
