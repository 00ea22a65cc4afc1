package io.platform.api.discovery;

import io.platform.api.registry.ResourceType;
import java.util.List;

/** The verbs a resource supports, as kube-apiserver lists them in discovery. */
public final class ResourceVerbs {

    private static final List<String> ALL =
            List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");
    /** kube-apiserver offers no deletecollection on namespaces. */
    private static final List<String> NAMESPACES =
            List.of("create", "delete", "get", "list", "patch", "update", "watch");

    private ResourceVerbs() {}

    public static List<String> of(ResourceType type) {
        return type.group().isEmpty() && type.plural().equals("namespaces") ? NAMESPACES : ALL;
    }
}
