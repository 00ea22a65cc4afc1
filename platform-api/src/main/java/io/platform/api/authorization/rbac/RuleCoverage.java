package io.platform.api.authorization.rbac;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether one set of rules holds every permission of another, as upstream's validation.Covers: the servant rules are
 * broken down into rules of one verb on one group and resource (and one name) or one URL, and each piece must be
 * covered by some owner rule, where {@code *} covers everything and {@code *}/sub covers that subresource of any
 * resource.
 */
public final class RuleCoverage {

    private RuleCoverage() {}

    /** The pieces of {@code servant} that no rule of {@code owner} covers, compacted and sorted as upstream. */
    public static List<PolicyRule> uncovered(List<PolicyRule> owner, List<PolicyRule> servant) {
        List<PolicyRule> missing = new ArrayList<>();
        for (PolicyRule rule : servant) {
            for (PolicyRule piece : breakdown(rule)) {
                if (owner.stream().noneMatch(o -> covers(o, piece))) {
                    missing.add(piece);
                }
            }
        }
        return compact(missing);
    }

    static List<PolicyRule> breakdown(PolicyRule rule) {
        List<PolicyRule> pieces = new ArrayList<>();
        for (String group : rule.apiGroups()) {
            for (String resource : rule.resources()) {
                for (String verb : rule.verbs()) {
                    if (rule.resourceNames().isEmpty()) {
                        pieces.add(new PolicyRule(List.of(verb), List.of(group), List.of(resource), List.of(),
                                List.of()));
                    }
                    for (String name : rule.resourceNames()) {
                        pieces.add(new PolicyRule(List.of(verb), List.of(group), List.of(resource), List.of(name),
                                List.of()));
                    }
                }
            }
        }
        for (String url : rule.nonResourceURLs()) {
            for (String verb : rule.verbs()) {
                pieces.add(PolicyRule.urls(List.of(verb), List.of(url)));
            }
        }
        return pieces;
    }

    static boolean covers(PolicyRule owner, PolicyRule servant) {
        boolean verbs = owner.verbs().contains(RuleMatching.ALL) || owner.verbs().containsAll(servant.verbs());
        if (!servant.nonResourceURLs().isEmpty()) {
            return verbs && servant.nonResourceURLs().stream().allMatch(url -> urlCovered(owner.nonResourceURLs(), url));
        }
        boolean groups = owner.apiGroups().contains(RuleMatching.ALL)
                || owner.apiGroups().containsAll(servant.apiGroups());
        boolean resources = servant.resources().stream().allMatch(resource -> resourceCovered(owner.resources(), resource));
        // a rule for every name is covered only by a rule for every name
        boolean names = owner.resourceNames().isEmpty()
                || !servant.resourceNames().isEmpty() && owner.resourceNames().containsAll(servant.resourceNames());
        return verbs && groups && resources && names;
    }

    private static boolean resourceCovered(List<String> owner, String resource) {
        if (owner.contains(RuleMatching.ALL) || owner.contains(resource)) {
            return true;
        }
        int slash = resource.indexOf('/');
        return slash >= 0 && owner.contains("*/" + resource.substring(slash + 1));
    }

    private static boolean urlCovered(List<String> owner, String url) {
        for (String candidate : owner) {
            if (candidate.equals(RuleMatching.ALL) || candidate.equals(url)) {
                return true;
            }
            if (candidate.endsWith("*") && url.startsWith(candidate.substring(0, candidate.length() - 1))) {
                return true;
            }
        }
        return false;
    }

    /** Pieces differing only in their verb become one rule, as upstream's CompactRules; sorted by their text. */
    static List<PolicyRule> compact(List<PolicyRule> pieces) {
        Map<List<Object>, List<String>> verbs = new LinkedHashMap<>();
        Map<List<Object>, PolicyRule> first = new LinkedHashMap<>();
        for (PolicyRule piece : pieces) {
            List<Object> key = List.of(piece.apiGroups(), piece.resources(), piece.resourceNames(),
                    piece.nonResourceURLs());
            first.putIfAbsent(key, piece);
            List<String> list = verbs.computeIfAbsent(key, k -> new ArrayList<>());
            piece.verbs().stream().filter(v -> !list.contains(v)).forEach(list::add);
        }
        List<PolicyRule> compacted = new ArrayList<>();
        first.forEach((key, piece) -> compacted.add(new PolicyRule(verbs.get(key), piece.apiGroups(),
                piece.resources(), piece.resourceNames(), piece.nonResourceURLs())));
        compacted.sort(Comparator.comparing(PolicyRule::compactString));
        return compacted;
    }
}
