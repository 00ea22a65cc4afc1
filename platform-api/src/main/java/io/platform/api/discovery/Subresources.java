package io.platform.api.discovery;

import io.platform.api.registry.ResourceType;
import java.util.List;

/**
 * What each subresource Kubernetes defines answers with and which verbs it takes, as kube-apiserver lists them in
 * discovery ({@code pods/status}, {@code deployments/scale} → autoscaling/v1 Scale, {@code pods/binding} → Binding).
 */
public final class Subresources {

    private static final List<String> READ_WRITE = List.of("get", "patch", "update");
    private static final List<String> CONNECT = List.of("create", "get");

    private Subresources() {}

    /**
     * A subresource of a resource.
     *
     * @param group the group of the kind it answers with ({@code autoscaling} for scale)
     * @param version the version of that kind
     * @param sameGroupVersion whether that kind is in the resource's own group-version, which discovery then
     *     leaves implicit
     * @param connect whether it is a streaming/connect subresource (exec, attach, portforward, proxy, log)
     */
    public record Subresource(
            String name,
            String group,
            String version,
            String kind,
            boolean sameGroupVersion,
            boolean connect,
            List<String> verbs) {}

    /**
     * Describes {@code name} of {@code type}.
     *
     * @throws IllegalArgumentException for a subresource Kubernetes does not define
     */
    public static Subresource describe(ResourceType type, String name) {
        return switch (name) {
            case "status", "approval", "ephemeralcontainers", "resize" -> own(type, name, READ_WRITE, false);
            case "finalize" -> own(type, name, List.of("update"), false);
            case "log" -> own(type, name, List.of("get"), true);
            case "scale" -> foreign(type, name, "autoscaling", "v1", "Scale", READ_WRITE, false);
            case "binding" -> foreign(type, name, "", "v1", "Binding", List.of("create"), false);
            case "eviction" -> foreign(type, name, "policy", "v1", "Eviction", List.of("create"), false);
            case "token" -> foreign(type, name, "authentication.k8s.io", "v1", "TokenRequest", List.of("create"), false);
            case "exec" -> foreign(type, name, "", "v1", "PodExecOptions", CONNECT, true);
            case "attach" -> foreign(type, name, "", "v1", "PodAttachOptions", CONNECT, true);
            case "portforward" -> foreign(type, name, "", "v1", "PodPortForwardOptions", CONNECT, true);
            case "proxy" -> foreign(type, name, "", "v1", type.kind() + "ProxyOptions",
                    List.of("create", "delete", "get", "patch", "update"), true);
            default -> throw new IllegalArgumentException(
                    "Kubernetes defines no subresource \"" + name + "\" (on " + type.plural() + ")");
        };
    }

    private static Subresource own(ResourceType type, String name, List<String> verbs, boolean connect) {
        return new Subresource(name, type.group(), type.version(), type.kind(), true, connect, verbs);
    }

    private static Subresource foreign(
            ResourceType type, String name, String group, String version, String kind, List<String> verbs, boolean connect) {
        boolean same = group.equals(type.group()) && version.equals(type.version());
        return new Subresource(name, group, version, kind, same, connect, verbs);
    }
}
