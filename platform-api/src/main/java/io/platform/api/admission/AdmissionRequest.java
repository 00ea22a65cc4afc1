package io.platform.api.admission;

import io.platform.api.auth.AuthenticatedUser;
import io.platform.api.registry.ResourceType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ObjectNode;

/**
 * What an admission plugin is asked about, as kube-apiserver's admission.Attributes.
 *
 * @param operation what the request does
 * @param type the resource written
 * @param subresource the subresource written ({@code status}, {@code binding}, ...), empty for the object itself
 * @param namespace the namespace, null for cluster-scoped resources
 * @param name the object's name (for a create with generateName, the generated one)
 * @param object the object as it will be stored (mutable in {@link AdmissionPlugin#mutate}); for a delete, the
 *     stored object; for subresources served as a write of their parent ({@code status}, {@code scale},
 *     {@code binding}, {@code approval}, {@code finalize}), the parent as it will be stored; for {@code eviction},
 *     the Eviction
 * @param oldObject the stored object an update replaces, null for creates and deletes
 * @param user who asked
 * @param dryRun whether the write is a dry run (plugins with side effects, such as quota accounting, skip them)
 * @param warnings where plugins add warnings for the response's {@code Warning} headers
 * @param auditAnnotations where plugins add annotations for the request's audit event, as upstream's
 *     {@code Attributes.AddAnnotation} (keys prefixed with the plugin's domain, e.g.
 *     {@code pod-security.kubernetes.io/enforce-policy}); added ones stay even when the request is then refused
 */
public record AdmissionRequest(
        Operation operation,
        ResourceType type,
        String subresource,
        @Nullable String namespace,
        String name,
        ObjectNode object,
        @Nullable ObjectNode oldObject,
        AuthenticatedUser user,
        boolean dryRun,
        List<String> warnings,
        Map<String, String> auditAnnotations) {

    /** A request whose audit annotations are recorded nowhere, for plugin tests. */
    public AdmissionRequest(Operation operation, ResourceType type, String subresource, @Nullable String namespace,
            String name, ObjectNode object, @Nullable ObjectNode oldObject, AuthenticatedUser user, boolean dryRun,
            List<String> warnings) {
        this(operation, type, subresource, namespace, name, object, oldObject, user, dryRun, warnings,
                new LinkedHashMap<>());
    }

    /** The operations admission sees, as upstream's admission.Operation. */
    public enum Operation {
        CREATE, UPDATE, DELETE, CONNECT
    }

    /** The resource's API group, empty for the core group. */
    public String group() {
        return type.group();
    }

    /** The resource's plural name, e.g. {@code pods}. */
    public String resource() {
        return type.plural();
    }

    public boolean is(String group, String plural) {
        return type.group().equals(group) && type.plural().equals(plural);
    }

    /** Whether this is the object itself (not a subresource) of {@code group}/{@code plural}. */
    public boolean isMain(String group, String plural) {
        return is(group, plural) && subresource.isEmpty();
    }

    /** Whether this creates the object itself (not a subresource) of {@code group}/{@code plural}. */
    public boolean creates(String group, String plural) {
        return operation == Operation.CREATE && isMain(group, plural);
    }
}
