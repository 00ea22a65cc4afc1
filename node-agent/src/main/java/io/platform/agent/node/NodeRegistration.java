package io.platform.agent.node;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.platform.agent.AgentProperties;
import io.platform.agent.runtime.ContainerRuntime;
import io.platform.agent.volume.PodVolumes;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;

/**
 * Registers this agent's Node once its HTTPS port is known, then keeps the Ready condition's
 * heartbeat fresh and renews the node Lease in {@code kube-node-lease}, as the kubelet does.
 */
@Component
class NodeRegistration implements ApplicationListener<WebServerInitializedEvent>, DisposableBean {

    static final String KUBELET_VERSION = "v1.32.4";
    static final String LEASE_NAMESPACE = "kube-node-lease";
    /** Label of nodes whose pods run as host processes. */
    static final String RUNTIME_LABEL = "platform.io/runtime";
    /** Condition of such nodes, False: their containers are not isolated as a container engine's are. */
    static final String ISOLATION_CONDITION = "ContainersIsolated";
    private static final Logger log = LoggerFactory.getLogger(NodeRegistration.class);

    private final AgentProperties properties;
    private final KubernetesClient client;
    private final ContainerRuntime runtime;
    private final Clock clock;
    private final HostInfo host = HostInfo.read();
    private final ScheduledExecutorService scheduler =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("node-heartbeat").daemon().factory());
    private volatile int port;
    private volatile @Nullable Boolean lastReady;

    NodeRegistration(AgentProperties properties, KubernetesClient client, ContainerRuntime runtime, Clock clock) {
        this.properties = properties;
        this.client = client;
        this.runtime = runtime;
        this.clock = clock;
    }

    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        port = event.getWebServer().getPort();
        scheduler.execute(this::heartbeat);
        long heartbeat = properties.heartbeatInterval().toMillis();
        scheduler.scheduleWithFixedDelay(this::heartbeat, heartbeat, heartbeat, TimeUnit.MILLISECONDS);
        long lease = properties.leaseInterval().toMillis();
        scheduler.scheduleWithFixedDelay(this::renewLease, 0, lease, TimeUnit.MILLISECONDS);
    }

    @Override
    public void destroy() {
        scheduler.shutdownNow();
    }

    /** Creates or updates the Node, then writes its status (status subresource). */
    void heartbeat() {
        try {
            Node node = client.nodes().withName(properties.nodeName()).get();
            if (node == null) {
                node = client.nodes().resource(desiredNode()).create();
                log.info("Registered node {}", properties.nodeName());
            } else if (!node.getMetadata().getLabels().entrySet().containsAll(labels().entrySet())
                    || !annotations().equals(filter(node.getMetadata().getAnnotations(), annotations().keySet()))) {
                Map<String, String> merged = new LinkedHashMap<>(node.getMetadata().getLabels());
                merged.putAll(labels());
                node.getMetadata().setLabels(merged);
                Map<String, String> annotations = node.getMetadata().getAnnotations() == null
                        ? new LinkedHashMap<>() : new LinkedHashMap<>(node.getMetadata().getAnnotations());
                annotations.putAll(annotations());
                node.getMetadata().setAnnotations(annotations);
                node = client.nodes().resource(node).update();
            }
            node.setStatus(status(node.getStatus()));
            client.nodes().resource(node).updateStatus();
        } catch (KubernetesClientException e) {
            log.warn("Node {} status update failed: {}", properties.nodeName(), e.getMessage());
        } catch (RuntimeException e) {
            log.warn("Node {} status update failed", properties.nodeName(), e);
        }
    }

    void renewLease() {
        try {
            Node node = client.nodes().withName(properties.nodeName()).get();
            if (node == null) {
                return;
            }
            var leases = client.resources(Lease.class).inNamespace(LEASE_NAMESPACE);
            Lease lease = leases.withName(properties.nodeName()).get();
            ZonedDateTime now = clock.instant().truncatedTo(ChronoUnit.MICROS).atZone(ZoneOffset.UTC);
            if (lease == null) {
                Lease created = new LeaseBuilder()
                        .withNewMetadata()
                        .withName(properties.nodeName())
                        .withNamespace(LEASE_NAMESPACE)
                        .withOwnerReferences(new OwnerReferenceBuilder()
                                .withApiVersion("v1")
                                .withKind("Node")
                                .withName(node.getMetadata().getName())
                                .withUid(node.getMetadata().getUid())
                                .build())
                        .endMetadata()
                        .withNewSpec()
                        .withHolderIdentity(properties.nodeName())
                        .withLeaseDurationSeconds((int) properties.leaseDuration().toSeconds())
                        .withRenewTime(now)
                        .endSpec()
                        .build();
                createLease(created);
            } else {
                lease.getSpec().setHolderIdentity(properties.nodeName());
                lease.getSpec().setLeaseDurationSeconds((int) properties.leaseDuration().toSeconds());
                lease.getSpec().setRenewTime(now);
                leases.resource(lease).update();
            }
        } catch (KubernetesClientException e) {
            log.warn("Lease {}/{} renewal failed: {}", LEASE_NAMESPACE, properties.nodeName(), e.getMessage());
        }
    }

    private void createLease(Lease lease) {
        try {
            client.resources(Lease.class).inNamespace(LEASE_NAMESPACE).resource(lease).create();
            log.info("Created lease {}/{}", LEASE_NAMESPACE, properties.nodeName());
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404 || client.namespaces().withName(LEASE_NAMESPACE).get() != null) {
                throw e;
            }
            // the API server normally creates kube-node-lease; make it when it has not
            Namespace namespace = new NamespaceBuilder().withNewMetadata().withName(LEASE_NAMESPACE).endMetadata().build();
            client.namespaces().resource(namespace).create();
            client.resources(Lease.class).inNamespace(LEASE_NAMESPACE).resource(lease).create();
            log.info("Created namespace {} and lease {}", LEASE_NAMESPACE, properties.nodeName());
        }
    }

    Map<String, String> labels() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("kubernetes.io/hostname", properties.nodeName());
        labels.put("kubernetes.io/os", "linux");
        labels.put("kubernetes.io/arch", host.architecture());
        labels.put("beta.kubernetes.io/os", "linux");
        labels.put("beta.kubernetes.io/arch", host.architecture());
        if (runtime.name().equals("process")) {
            // pods on this node are host processes: selectable (or avoidable) by this label
            labels.put(RUNTIME_LABEL, runtime.name());
        }
        return labels;
    }

    /** Where the local-path provisioner puts this node's volumes, which only the node knows. */
    Map<String, String> annotations() {
        return Map.of(PodVolumes.LOCAL_PATH_ROOT_ANNOTATION, PodVolumes.localPathRoot(properties.rootDir()).toString());
    }

    private static Map<String, String> filter(@Nullable Map<String, String> values, java.util.Set<String> keys) {
        Map<String, String> kept = new LinkedHashMap<>();
        if (values != null) {
            keys.stream().filter(values::containsKey).forEach(key -> kept.put(key, values.get(key)));
        }
        return kept;
    }

    private Node desiredNode() {
        return new NodeBuilder()
                .withNewMetadata()
                .withName(properties.nodeName())
                .withLabels(labels())
                .withAnnotations(annotations())
                .endMetadata()
                .withNewSpec()
                .endSpec()
                .withStatus(status(null))
                .build();
    }

    NodeStatus status(@Nullable NodeStatus previous) {
        String now = timestamp(clock.instant());
        String engineVersion = null;
        String engineError = null;
        try {
            engineVersion = runtime.version();
        } catch (RuntimeException e) {
            engineError = e.getMessage();
        }
        boolean ready = engineVersion != null;
        if (!Objects.equals(lastReady, ready)) {
            log.info("Node {} is {}", properties.nodeName(), ready ? "Ready" : "NotReady: " + engineError);
            lastReady = ready;
        }
        List<NodeCondition> conditions = new ArrayList<>();
        conditions.add(condition(previous, "MemoryPressure", "False", "KubeletHasSufficientMemory",
                "kubelet has sufficient memory available", now));
        conditions.add(condition(previous, "DiskPressure", "False", "KubeletHasNoDiskPressure",
                "kubelet has no disk pressure", now));
        conditions.add(condition(previous, "PIDPressure", "False", "KubeletHasSufficientPID",
                "kubelet has sufficient PID available", now));
        conditions.add(ready
                ? condition(previous, "Ready", "True", "KubeletReady", "kubelet is posting ready status", now)
                : condition(previous, "Ready", "False", "KubeletNotReady",
                        "container runtime is down: " + engineError, now));
        if (runtime.name().equals("process")) {
            conditions.add(condition(previous, ISOLATION_CONDITION, "False", "ProcessRuntime",
                    "containers run as host processes of the process runtime: no image filesystem, and without root no "
                            + "network namespace, resource limits or volume mounts", now));
        }
        Map<String, Quantity> capacity = capacity();
        return new NodeStatusBuilder(previous == null ? new NodeStatus() : previous)
                .withCapacity(capacity)
                .withAllocatable(new HashMap<>(capacity))
                .withConditions(conditions)
                .withAddresses(
                        new NodeAddress(properties.address(), "InternalIP"),
                        new NodeAddress(host.hostname(), "Hostname"))
                .withNewDaemonEndpoints()
                .withNewKubeletEndpoint(port)
                .endDaemonEndpoints()
                .withNewNodeInfo()
                .withKubeletVersion(KUBELET_VERSION)
                .withKubeProxyVersion(KUBELET_VERSION)
                .withContainerRuntimeVersion(engineVersion == null ? runtime.name() + "://unknown" : engineVersion)
                .withOsImage(host.osImage())
                .withKernelVersion(host.kernelVersion())
                .withArchitecture(host.architecture())
                .withOperatingSystem("linux")
                .withMachineID("")
                .withSystemUUID("")
                .withBootID("")
                .endNodeInfo()
                .build();
    }

    Map<String, Quantity> capacity() {
        AgentProperties.Capacity overrides = properties.capacity();
        Map<String, Quantity> capacity = new LinkedHashMap<>();
        capacity.put("cpu", new Quantity(overrides.cpu() != null ? overrides.cpu() : Integer.toString(host.cpus())));
        capacity.put("memory", overrides.memory() != null
                ? new Quantity(overrides.memory())
                : new Quantity(Long.toString(host.memoryBytes() / 1024) + "Ki"));
        capacity.put("pods", new Quantity(overrides.pods()));
        if (overrides.ephemeralStorage() != null) {
            capacity.put("ephemeral-storage", new Quantity(overrides.ephemeralStorage()));
        } else if (host.ephemeralStorageBytes() != null) {
            capacity.put("ephemeral-storage", new Quantity(Long.toString(host.ephemeralStorageBytes() / 1024) + "Ki"));
        }
        return capacity;
    }

    /** A condition whose lastTransitionTime only moves when its status changes, as the kubelet's. */
    private static NodeCondition condition(
            @Nullable NodeStatus previous, String type, String status, String reason, String message, String now) {
        String transition = now;
        if (previous != null && previous.getConditions() != null) {
            for (NodeCondition old : previous.getConditions()) {
                if (type.equals(old.getType()) && status.equals(old.getStatus()) && old.getLastTransitionTime() != null) {
                    transition = old.getLastTransitionTime();
                }
            }
        }
        return new NodeConditionBuilder()
                .withType(type)
                .withStatus(status)
                .withReason(reason)
                .withMessage(message)
                .withLastHeartbeatTime(now)
                .withLastTransitionTime(transition)
                .build();
    }

    static String timestamp(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }
}
