package io.platform.api.audit;

import io.platform.api.authorization.Attributes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * An {@code audit.k8s.io/v1} Policy: the first rule matching a request decides its level, no match means
 * {@code None}, as kube-apiserver's policy checker. A rule matches when every selector it sets matches: users,
 * userGroups, verbs, resources (group; resources by name, {@code resource/subresource}, or with a {@code *} for
 * every resource, every resource's subresource or every subresource of one resource; resourceNames)
 * and namespaces (only resource requests; "" is cluster-scoped), nonResourceURLs (exact, or a prefix ending in
 * {@code *}; only non-resource requests).
 */
public record AuditPolicy(List<Rule> rules, Set<AuditStage> omitStages) {

    public static final String API_VERSION = "audit.k8s.io/v1";

    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    /**
     * What the API server logs without a policy file: nothing for health and version probes, Secrets, ConfigMaps,
     * token requests and TokenReviews at {@code Metadata} only (their bodies are credentials, as upstream's example
     * policies keep them out), everything else at {@code Metadata}; {@code RequestReceived} omitted.
     */
    static final String DEFAULT_POLICY = """
            apiVersion: audit.k8s.io/v1
            kind: Policy
            omitStages: [RequestReceived]
            rules:
              - level: None
                nonResourceURLs: [/livez, /livez/*, /readyz, /readyz/*, /healthz, /healthz/*, /version, /version/]
              - level: Metadata
                resources:
                  - group: ""
                    resources: [secrets, configmaps, serviceaccounts/token]
                  - group: authentication.k8s.io
                    resources: [tokenreviews]
              - level: Metadata
            """;

    public AuditPolicy {
        rules = List.copyOf(rules);
        omitStages = Set.copyOf(omitStages);
    }

    /** One rule; empty lists select everything. */
    public record Rule(AuditLevel level, List<String> users, List<String> userGroups, List<String> verbs,
            List<GroupResources> resources, List<String> namespaces, List<String> nonResourceURLs,
            Set<AuditStage> omitStages) {

        public Rule {
            users = List.copyOf(users);
            userGroups = List.copyOf(userGroups);
            verbs = List.copyOf(verbs);
            resources = List.copyOf(resources);
            namespaces = List.copyOf(namespaces);
            nonResourceURLs = List.copyOf(nonResourceURLs);
            omitStages = Set.copyOf(omitStages);
        }

        boolean matches(Attributes request) {
            if (!users.isEmpty() && !users.contains(request.user().name())) {
                return false;
            }
            if (!userGroups.isEmpty() && request.user().groups().stream().noneMatch(userGroups::contains)) {
                return false;
            }
            if (!verbs.isEmpty() && !verbs.contains(request.verb())) {
                return false;
            }
            if (!resources.isEmpty() || !namespaces.isEmpty()) {
                if (!request.resourceRequest()) {
                    return false;
                }
                if (!namespaces.isEmpty() && !namespaces.contains(request.namespace())) {
                    return false;
                }
                if (!resources.isEmpty() && resources.stream().noneMatch(gr -> gr.matches(request))) {
                    return false;
                }
            }
            if (!nonResourceURLs.isEmpty()) {
                return !request.resourceRequest() && nonResourceURLs.stream().anyMatch(url -> url.endsWith("*")
                        ? request.path().startsWith(url.substring(0, url.length() - 1)) : request.path().equals(url));
            }
            return true;
        }
    }

    /** {@code {group, resources, resourceNames}} of a rule. */
    public record GroupResources(String group, List<String> resources, List<String> resourceNames) {

        public GroupResources {
            resources = List.copyOf(resources);
            resourceNames = List.copyOf(resourceNames);
        }

        boolean matches(Attributes request) {
            if (!group.equals(request.apiGroup())) {
                return false;
            }
            if (resources.isEmpty()) {
                return true;
            }
            if (!resourceNames.isEmpty() && !resourceNames.contains(request.name())) {
                return false;
            }
            String subresource = request.subresource();
            String combined = subresource.isEmpty() ? request.resource() : request.resource() + "/" + subresource;
            for (String resource : resources) {
                if (resource.equals(combined) || resource.equals("*")) {
                    return true;
                }
                if (!subresource.isEmpty() && resource.equals("*/" + subresource)) {
                    return true;
                }
                if (resource.endsWith("/*") && request.resource().equals(resource.substring(0, resource.length() - 2))) {
                    return true;
                }
            }
            return false;
        }
    }

    /** The level of one request and the stages not to write. */
    public record Decision(AuditLevel level, Set<AuditStage> omitStages) {}

    /** The decision for {@code request}: the first matching rule's, else {@code None}. */
    public Decision evaluate(Attributes request) {
        for (Rule rule : rules) {
            if (rule.matches(request)) {
                EnumSet<AuditStage> omitted = EnumSet.noneOf(AuditStage.class);
                omitted.addAll(omitStages);
                omitted.addAll(rule.omitStages());
                return new Decision(rule.level(), omitted);
            }
        }
        return new Decision(AuditLevel.None, omitStages);
    }

    /** Whether some rule may record bodies (otherwise requests are not watched for them at all). */
    public boolean recordsBodies() {
        return rules.stream().anyMatch(rule -> rule.level().includesRequestBody());
    }

    public static AuditPolicy defaultPolicy() {
        return parse(DEFAULT_POLICY.getBytes(StandardCharsets.UTF_8), "the default audit policy");
    }

    /** Reads a policy file; {@link IllegalArgumentException} naming it when it is not a valid Policy. */
    public static AuditPolicy load(Path file) {
        try {
            return parse(Files.readAllBytes(file), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the audit policy " + file, e);
        }
    }

    static AuditPolicy parse(byte[] yaml, String source) {
        try {
            JsonNode root = YAML.readTree(yaml);
            if (root == null || !root.isObject() || !"Policy".equals(root.path("kind").asString(""))
                    || !API_VERSION.equals(root.path("apiVersion").asString(""))) {
                throw new IllegalArgumentException("expected apiVersion " + API_VERSION + " and kind Policy");
            }
            List<Rule> rules = new ArrayList<>();
            for (JsonNode rule : root.path("rules")) {
                if (!rule.has("level")) {
                    throw new IllegalArgumentException("rule " + (rules.size() + 1) + " has no level");
                }
                List<GroupResources> resources = new ArrayList<>();
                for (JsonNode group : rule.path("resources")) {
                    resources.add(new GroupResources(group.path("group").asString(""), strings(group.path("resources")),
                            strings(group.path("resourceNames"))));
                }
                List<String> nonResourceURLs = strings(rule.path("nonResourceURLs"));
                if (!nonResourceURLs.isEmpty() && (!resources.isEmpty() || rule.has("namespaces"))) {
                    throw new IllegalArgumentException("rule " + (rules.size() + 1)
                            + " mixes nonResourceURLs with resources or namespaces");
                }
                rules.add(new Rule(AuditLevel.parse(rule.path("level").asString("")), strings(rule.path("users")),
                        strings(rule.path("userGroups")), strings(rule.path("verbs")), resources,
                        strings(rule.path("namespaces")), nonResourceURLs, stages(rule.path("omitStages"))));
            }
            return new AuditPolicy(rules, stages(root.path("omitStages")));
        } catch (JacksonException e) {
            throw new IllegalArgumentException(source + ": not valid YAML: " + e.getOriginalMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asString("")));
        return values;
    }

    private static Set<AuditStage> stages(JsonNode array) {
        EnumSet<AuditStage> stages = EnumSet.noneOf(AuditStage.class);
        array.forEach(value -> stages.add(AuditStage.parse(value.asString(""))));
        return stages;
    }
}
