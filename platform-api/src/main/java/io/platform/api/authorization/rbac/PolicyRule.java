package io.platform.api.authorization.rbac;

import io.platform.common.golang.GoSyntax;
import io.platform.api.json.Json;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One rule of a Role or ClusterRole ({@code rbac.authorization.k8s.io/v1} PolicyRule): verbs on resources of API
 * groups, optionally only named objects, or verbs on non-resource URLs.
 */
public record PolicyRule(List<String> verbs, List<String> apiGroups, List<String> resources,
        List<String> resourceNames, List<String> nonResourceURLs) {

    public PolicyRule {
        verbs = List.copyOf(verbs);
        apiGroups = List.copyOf(apiGroups);
        resources = List.copyOf(resources);
        resourceNames = List.copyOf(resourceNames);
        nonResourceURLs = List.copyOf(nonResourceURLs);
    }

    /** Verbs on resources of groups. */
    public static PolicyRule resources(List<String> verbs, List<String> apiGroups, List<String> resources) {
        return new PolicyRule(verbs, apiGroups, resources, List.of(), List.of());
    }

    /** Verbs on non-resource URLs. */
    public static PolicyRule urls(List<String> verbs, List<String> nonResourceURLs) {
        return new PolicyRule(verbs, List.of(), List.of(), List.of(), nonResourceURLs);
    }

    /** This rule limited to the named objects. */
    public PolicyRule withResourceNames(List<String> names) {
        return new PolicyRule(verbs, apiGroups, resources, names, nonResourceURLs);
    }

    static PolicyRule of(JsonNode rule) {
        return new PolicyRule(Json.strings(rule.path("verbs")), Json.strings(rule.path("apiGroups")),
                Json.strings(rule.path("resources")), Json.strings(rule.path("resourceNames")),
                Json.strings(rule.path("nonResourceURLs")));
    }

    /** The rules of a role's {@code rules} array. */
    public static List<PolicyRule> listOf(JsonNode rules) {
        List<PolicyRule> list = new ArrayList<>();
        if (rules.isArray()) {
            rules.forEach(rule -> list.add(of(rule)));
        }
        return list;
    }

    /** The rule as it is written in a role, empty lists left out. */
    public ObjectNode toJson() {
        ObjectNode node = Json.object();
        put(node, "verbs", verbs, true);
        put(node, "apiGroups", apiGroups, false);
        put(node, "resources", resources, false);
        put(node, "resourceNames", resourceNames, false);
        put(node, "nonResourceURLs", nonResourceURLs, false);
        return node;
    }

    /** A {@code rules} array of these rules. */
    public static ArrayNode toJson(List<PolicyRule> rules) {
        ArrayNode array = Json.array();
        rules.forEach(rule -> array.add(rule.toJson()));
        return array;
    }

    /**
     * The rule as upstream's PolicyRule.CompactString prints it in escalation messages, e.g.
     * {@code {APIGroups:[""], Resources:["pods"], Verbs:["create"]}}.
     */
    public String compactString() {
        List<String> parts = new ArrayList<>();
        if (!apiGroups.isEmpty()) {
            parts.add("APIGroups:" + quoted(apiGroups));
        }
        if (!resources.isEmpty()) {
            parts.add("Resources:" + quoted(resources));
        }
        if (!nonResourceURLs.isEmpty()) {
            parts.add("NonResourceURLs:" + quoted(nonResourceURLs));
        }
        if (!resourceNames.isEmpty()) {
            parts.add("ResourceNames:" + quoted(resourceNames));
        }
        if (!verbs.isEmpty()) {
            parts.add("Verbs:" + quoted(verbs));
        }
        return "{" + String.join(", ", parts) + "}";
    }

    /** A string list as Go's {@code %q} prints a slice: {@code ["a" "b"]}. */
    static String quoted(List<String> values) {
        List<String> quoted = new ArrayList<>();
        values.forEach(value -> quoted.add(GoSyntax.quote(value)));
        return "[" + String.join(" ", quoted) + "]";
    }

    private static void put(ObjectNode node, String field, List<String> values, boolean always) {
        if (always || !values.isEmpty()) {
            ArrayNode array = node.putArray(field);
            values.forEach(array::add);
        }
    }
}
