package io.platform.api.authorization;

import java.util.List;

/**
 * What a user may do in a namespace, as kube-apiserver's RuleResolver answers SelfSubjectRulesReviews.
 *
 * @param incomplete true when the list is known to miss rules (an authorizer that cannot enumerate them)
 * @param evaluationError what went wrong while resolving ("" when nothing did)
 */
public record Rules(List<ResourceRule> resourceRules, List<NonResourceRule> nonResourceRules, boolean incomplete,
        String evaluationError) {

    public Rules {
        resourceRules = List.copyOf(resourceRules);
        nonResourceRules = List.copyOf(nonResourceRules);
    }

    /** Verbs on resources of API groups, optionally only the named objects; {@code *} matches everything. */
    public record ResourceRule(List<String> verbs, List<String> apiGroups, List<String> resources,
            List<String> resourceNames) {

        public ResourceRule {
            verbs = List.copyOf(verbs);
            apiGroups = List.copyOf(apiGroups);
            resources = List.copyOf(resources);
            resourceNames = List.copyOf(resourceNames);
        }
    }

    /** Verbs on non-resource URLs ({@code /healthz}, {@code /api/*}); {@code *} matches everything. */
    public record NonResourceRule(List<String> verbs, List<String> nonResourceURLs) {

        public NonResourceRule {
            verbs = List.copyOf(verbs);
            nonResourceURLs = List.copyOf(nonResourceURLs);
        }
    }
}
