package io.platform.agent.server;

import java.util.List;
import java.util.Locale;
import org.springframework.http.HttpMethod;

/**
 * What a call to the agent's API asks for, in the terms of a SubjectAccessReview: always the resource
 * {@code nodes} named after this node, the subresource from the path and the verb from the HTTP method, with the
 * kubelet's mapping ({@code /stats/} → stats, {@code /metrics} → metrics, {@code /logs/} → log, {@code /spec/} →
 * spec, {@code /checkpoint/} → checkpoint, everything else, container logs included, → proxy).
 */
record NodeRequestAttributes(String verb, String nodeName, String subresource) {

    static final String RESOURCE = "nodes";

    private record PathRule(String prefix, String subresource) {}

    private static final List<PathRule> RULES = List.of(
            new PathRule("/stats", "stats"),
            new PathRule("/metrics", "metrics"),
            new PathRule("/logs", "log"),
            new PathRule("/spec", "spec"),
            new PathRule("/checkpoint", "checkpoint"));

    static NodeRequestAttributes of(HttpMethod method, String path, String nodeName) {
        return new NodeRequestAttributes(verb(method), nodeName, subresource(path));
    }

    static String verb(HttpMethod method) {
        if (method.equals(HttpMethod.POST)) {
            return "create";
        }
        if (method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD)) {
            return "get";
        }
        if (method.equals(HttpMethod.PUT)) {
            return "update";
        }
        if (method.equals(HttpMethod.PATCH)) {
            return "patch";
        }
        if (method.equals(HttpMethod.DELETE)) {
            return "delete";
        }
        return method.name().toLowerCase(Locale.ROOT);
    }

    static String subresource(String path) {
        for (PathRule rule : RULES) {
            // a sub-path, as the kubelet's isSubpath: the prefix itself or anything below it, never "/statsfoo"
            if (path.equals(rule.prefix()) || path.startsWith(rule.prefix() + "/")) {
                return rule.subresource();
            }
        }
        return "proxy";
    }

    /** The kubelet's refusal text. */
    String forbiddenMessage(String user) {
        return "Forbidden (user=" + user + ", verb=" + verb + ", resource=" + RESOURCE + ", subresource(s)=["
                + subresource + "])";
    }
}
