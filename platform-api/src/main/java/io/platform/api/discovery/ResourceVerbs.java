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
    /** The review APIs (SelfSubjectAccessReview, TokenReview, ...) only answer a create. */
    private static final List<String> CREATE = List.of("create");

    private ResourceVerbs() {}

    public static List<String> of(ResourceType type) {
        if (type.createOnly()) {
            return CREATE;
        }
        return type.group().isEmpty() && type.plural().equals("namespaces") ? NAMESPACES : ALL;
    }
}
