package io.platform.api.strategy;

import io.platform.api.registry.ResourceType;
import java.util.Map;

/** The strategy of each resource type, by qualified plural; plain for types without special rules. */
public final class Strategies {

    private static final ResourceStrategy PLAIN = new PlainStrategy();

    private static final Map<String, ResourceStrategy> BY_RESOURCE = Map.of(
            "pods", new PodStrategy(),
            "deployments.apps", new WorkloadStrategy(true),
            "replicasets.apps", new WorkloadStrategy(false),
            "services", new ServiceStrategy(),
            "namespaces", new NamespaceStrategy(),
            "secrets", new SecretStrategy(),
            "nodes", new NodeStrategy(),
            "events", new EventStrategy());

    private Strategies() {}

    public static ResourceStrategy of(ResourceType type) {
        return BY_RESOURCE.getOrDefault(type.qualifiedPlural(), PLAIN);
    }
}
