package io.platform.api.registry;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Set;

/**
 * One row of the resource registry: how a built-in type is named and served. Strategies
 * (defaulting, validation, status vs spec, table columns) hang off the row by {@link #plural()}
 * and {@link #group()}.
 *
 * @param group API group, "" for the core group
 * @param subresources e.g. "status", "scale", "binding", "log"
 * @param modelClass the fabric8 model class used for typed access
 * @param createOnly served for {@code create} only and never stored, as kube-apiserver's review APIs
 *     (SelfSubjectAccessReview, TokenReview, ...): a POST answers the object with its status filled in
 */
public record ResourceType(
        String group,
        String version,
        String kind,
        String plural,
        String singular,
        boolean namespaced,
        List<String> shortNames,
        List<String> categories,
        Set<String> subresources,
        Class<? extends HasMetadata> modelClass,
        boolean createOnly) {

    /** A stored type with every verb, as most rows are. */
    public ResourceType(String group, String version, String kind, String plural, String singular, boolean namespaced,
            List<String> shortNames, List<String> categories, Set<String> subresources,
            Class<? extends HasMetadata> modelClass) {
        this(group, version, kind, plural, singular, namespaced, shortNames, categories, subresources, modelClass,
                false);
    }

    /** {@code v1} or {@code apps/v1}, as written in {@code apiVersion}. */
    public String apiVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    /** {@code pods} or {@code deployments.apps}, as Kubernetes names a resource in messages. */
    public String qualifiedPlural() {
        return group.isEmpty() ? plural : plural + "." + group;
    }

    /**
     * The store key prefix of all objects of this type, e.g. {@code /registry/apps/deployments/}. Versions of a
     * group share it; events.k8s.io Events share the core Events' keys, as upstream stores them.
     */
    public String keyPrefix() {
        String storageGroup = group.equals("events.k8s.io") ? "" : group;
        return "/registry/" + (storageGroup.isEmpty() ? "" : storageGroup + "/") + plural + "/";
    }
}
