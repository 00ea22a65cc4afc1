package io.platform.api.authorization.rbac;

import io.platform.api.authorization.Attributes;
import java.util.List;

/**
 * Whether a rule allows a request, exactly as upstream's rbac.RuleAllows: {@code *} matches any verb, group,
 * resource or URL; a resource rule names {@code resource} or {@code resource/subresource}, and {@code *}/sub matches
 * that subresource of every resource (but {@code pods/*} only the literal "pods/*", as upstream); resourceNames,
 * when present, must hold the request's name; a non-resource URL matches exactly or by a trailing {@code *}.
 */
public final class RuleMatching {

    static final String ALL = "*";

    private RuleMatching() {}

    public static boolean allows(Attributes attributes, PolicyRule rule) {
        if (attributes.resourceRequest()) {
            String combined = attributes.subresource().isEmpty() ? attributes.resource()
                    : attributes.resource() + "/" + attributes.subresource();
            return verbMatches(rule, attributes.verb())
                    && apiGroupMatches(rule, attributes.apiGroup())
                    && resourceMatches(rule, combined, attributes.subresource())
                    && resourceNameMatches(rule, attributes.name());
        }
        return verbMatches(rule, attributes.verb()) && nonResourceUrlMatches(rule, attributes.path());
    }

    public static boolean allowsAny(Attributes attributes, List<PolicyRule> rules) {
        return rules.stream().anyMatch(rule -> allows(attributes, rule));
    }

    static boolean verbMatches(PolicyRule rule, String verb) {
        return rule.verbs().contains(ALL) || rule.verbs().contains(verb);
    }

    static boolean apiGroupMatches(PolicyRule rule, String group) {
        return rule.apiGroups().contains(ALL) || rule.apiGroups().contains(group);
    }

    static boolean resourceMatches(PolicyRule rule, String combined, String subresource) {
        for (String resource : rule.resources()) {
            if (resource.equals(ALL) || resource.equals(combined)) {
                return true;
            }
            if (!subresource.isEmpty() && resource.equals("*/" + subresource)) {
                return true;
            }
        }
        return false;
    }

    static boolean resourceNameMatches(PolicyRule rule, String name) {
        return rule.resourceNames().isEmpty() || rule.resourceNames().contains(name);
    }

    static boolean nonResourceUrlMatches(PolicyRule rule, String path) {
        for (String url : rule.nonResourceURLs()) {
            if (url.equals(ALL) || url.equals(path)) {
                return true;
            }
            if (url.endsWith("*") && path.startsWith(url.substring(0, url.length() - 1))) {
                return true;
            }
        }
        return false;
    }
}
