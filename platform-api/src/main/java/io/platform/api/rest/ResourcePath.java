package io.platform.api.rest;

import io.platform.api.errors.ApiException;
import io.platform.api.registry.BuiltinResources;
import io.platform.api.registry.ResourceType;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A parsed resource URL: {@code /api/v1/...} or {@code /apis/{group}/{version}/...} followed by
 * {@code [namespaces/{ns}/]{plural}[/{name}[/{subresource}]]}. A null type means the
 * group-version root itself (its resource list).
 */
record ResourcePath(String group, String version, @Nullable ResourceType type, @Nullable String namespace,
        @Nullable String name, @Nullable String subresource) {

    /** The pseudo-resource fabric8 posts Bindings to: {@code /api/v1/namespaces/{ns}/bindings}. */
    static final String BINDINGS = "bindings";

    static ResourcePath parse(String path) {
        List<String> segments = Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();
        String group;
        String version;
        List<String> rest;
        if (segments.size() >= 2 && segments.get(0).equals("api")) {
            group = "";
            version = segments.get(1);
            rest = segments.subList(2, segments.size());
        } else if (segments.size() >= 3 && segments.get(0).equals("apis")) {
            group = segments.get(1);
            version = segments.get(2);
            rest = segments.subList(3, segments.size());
        } else {
            throw ApiException.noSuchPath();
        }
        if (rest.isEmpty()) {
            return new ResourcePath(group, version, null, null, null, null);
        }
        String namespace = null;
        if (rest.get(0).equals("namespaces") && rest.size() >= 3 && !isNamespaceSubresource(rest)) {
            namespace = rest.get(1);
            rest = rest.subList(2, rest.size());
        }
        if (namespace != null && group.isEmpty() && rest.size() == 1 && rest.get(0).equals(BINDINGS)) {
            return new ResourcePath(group, version, pods(), namespace, null, BINDINGS);
        }
        if (rest.size() > 3) {
            throw ApiException.noSuchPath();
        }
        ResourceType type = BuiltinResources.find(group, version, rest.get(0)).orElseThrow(ApiException::noSuchPath);
        if (namespace != null && !type.namespaced()) {
            throw ApiException.noSuchPath();
        }
        String name = rest.size() > 1 ? rest.get(1) : null;
        String subresource = rest.size() > 2 ? rest.get(2) : null;
        if (subresource != null && !type.subresources().contains(subresource)) {
            throw ApiException.noSuchPath();
        }
        return new ResourcePath(group, version, type, namespace, name, subresource);
    }

    /** {@code namespaces/{name}/status} and {@code /finalize} name a namespace's subresource, not a namespaced list. */
    private static boolean isNamespaceSubresource(List<String> rest) {
        return rest.size() == 3 && (rest.get(2).equals("status") || rest.get(2).equals("finalize"));
    }

    private static ResourceType pods() {
        return BuiltinResources.find("", "v1", "pods").orElseThrow();
    }

    ResourceType requireType() {
        if (type == null) {
            throw ApiException.noSuchPath();
        }
        return type;
    }
}
