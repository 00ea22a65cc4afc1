package io.platform.api.authorization.rbac;

import io.platform.api.json.Json;
import io.platform.api.storage.KeyValue;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/** RBAC objects as the store holds them, for unit tests of the cache, authorizer and aggregation. */
final class RbacFixtures {

    private static long revision = 1;

    private RbacFixtures() {}

    static KeyValue stored(String plural, ObjectNode object) {
        String namespace = object.path("metadata").path("namespace").asString("");
        String name = object.path("metadata").path("name").asString();
        String key = RbacPolicyCache.PREFIX + plural + "/" + (namespace.isEmpty() ? "" : namespace + "/") + name;
        long rev = revision++;
        return new KeyValue(key, Json.bytes(object), rev, rev);
    }

    static ObjectNode role(String kind, String namespace, String name, Map<String, String> labels,
            List<PolicyRule> rules) {
        ObjectNode role = Json.object();
        role.put("apiVersion", "rbac.authorization.k8s.io/v1").put("kind", kind);
        ObjectNode metadata = role.putObject("metadata");
        metadata.put("name", name);
        if (!namespace.isEmpty()) {
            metadata.put("namespace", namespace);
        }
        labels.forEach(metadata.putObject("labels")::put);
        role.set("rules", PolicyRule.toJson(rules));
        return role;
    }

    static ObjectNode binding(String kind, String namespace, String name, String roleKind, String roleName,
            List<Map<String, String>> subjects) {
        ObjectNode binding = Json.object();
        binding.put("apiVersion", "rbac.authorization.k8s.io/v1").put("kind", kind);
        ObjectNode metadata = binding.putObject("metadata");
        metadata.put("name", name);
        if (!namespace.isEmpty()) {
            metadata.put("namespace", namespace);
        }
        binding.putObject("roleRef").put("apiGroup", "rbac.authorization.k8s.io").put("kind", roleKind)
                .put("name", roleName);
        var array = binding.putArray("subjects");
        subjects.forEach(subject -> subject.forEach(array.addObject()::put));
        return binding;
    }
}
