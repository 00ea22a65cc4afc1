package io.platform.api.registry;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The built-in resource types the API server serves. */
public final class BuiltinResources {

    private static final List<String> ALL = List.of("all");

    public static final List<ResourceType> TYPES = List.of(
            new ResourceType("", "v1", "Namespace", "namespaces", "namespace", false,
                    List.of("ns"), List.of(), Set.of("status", "finalize"), Namespace.class),
            new ResourceType("", "v1", "Pod", "pods", "pod", true,
                    List.of("po"), ALL, Set.of("status", "binding", "log"), Pod.class),
            new ResourceType("", "v1", "Node", "nodes", "node", false,
                    List.of("no"), List.of(), Set.of("status"), Node.class),
            new ResourceType("", "v1", "Service", "services", "service", true,
                    List.of("svc"), ALL, Set.of("status"), Service.class),
            new ResourceType("", "v1", "ConfigMap", "configmaps", "configmap", true,
                    List.of("cm"), List.of(), Set.of(), ConfigMap.class),
            new ResourceType("", "v1", "Secret", "secrets", "secret", true,
                    List.of(), List.of(), Set.of(), Secret.class),
            new ResourceType("", "v1", "Event", "events", "event", true,
                    List.of("ev"), List.of(), Set.of(), Event.class),
            new ResourceType("", "v1", "ServiceAccount", "serviceaccounts", "serviceaccount", true,
                    List.of("sa"), List.of(), Set.of(), ServiceAccount.class),
            new ResourceType("apps", "v1", "Deployment", "deployments", "deployment", true,
                    List.of("deploy"), ALL, Set.of("status", "scale"), Deployment.class),
            new ResourceType("apps", "v1", "ReplicaSet", "replicasets", "replicaset", true,
                    List.of("rs"), ALL, Set.of("status", "scale"), ReplicaSet.class),
            new ResourceType("coordination.k8s.io", "v1", "Lease", "leases", "lease", true,
                    List.of(), List.of(), Set.of(), Lease.class));

    private BuiltinResources() {}

    public static Optional<ResourceType> find(String group, String version, String plural) {
        return TYPES.stream()
                .filter(t -> t.group().equals(group) && t.version().equals(version) && t.plural().equals(plural))
                .findFirst();
    }

    public static Optional<ResourceType> byKind(String apiVersion, String kind) {
        return TYPES.stream()
                .filter(t -> t.apiVersion().equals(apiVersion) && t.kind().equals(kind))
                .findFirst();
    }
}
