package io.platform.api.authorization.rbac;

import static org.assertj.core.api.Assertions.assertThat;

import io.platform.api.auth.AuthenticatedUser;
import io.platform.api.authorization.Attributes;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Upstream's RuleAllows, case by case. */
class RuleMatchingTest {

    private static final AuthenticatedUser BOB = new AuthenticatedUser("bob", List.of());

    /** Columns: rule verbs, groups, resources, names; request verb, group, resource, subresource, name; allowed. */
    @ParameterizedTest(name = "{0} {1} {2} {3} vs {4} {5} {6}/{7} {8}")
    @CsvSource(delimiter = '|', value = {
            "get|core|pods|-|get|core|pods|-|p|true",
            "get|core|pods|-|list|core|pods|-|-|false",
            "*|core|pods|-|delete|core|pods|-|p|true",
            "get|apps|deployments|-|get|core|deployments|-|d|false",
            "get|*|deployments|-|get|apps|deployments|-|d|true",
            "get|core|*|-|get|core|secrets|-|s|true",
            "get|core|*|-|get|core|pods|log|p|true",
            "get|core|pods|-|get|core|pods|log|p|false",
            "get|core|pods/log|-|get|core|pods|log|p|true",
            "get|core|pods/log|-|get|core|pods|-|p|false",
            "update|apps|*/scale|-|update|apps|deployments|scale|d|true",
            "update|apps|*/scale|-|update|apps|deployments|status|d|false",
            "update|apps|*/scale|-|update|apps|deployments|-|d|false",
            // as upstream, "pods/*" is no wildcard: it matches only a subresource literally named "*"
            "get|core|pods/*|-|get|core|pods|log|p|false",
            "get|core|pods/*|-|get|core|pods|*|p|true",
            "get|core|configmaps|a b|get|core|configmaps|-|a|true",
            "get|core|configmaps|a b|get|core|configmaps|-|c|false",
            "get|core|configmaps|a b|list|core|configmaps|-|-|false",
            "list|core|configmaps|a|list|core|configmaps|-|-|false",
    })
    void resourceRules(String verbs, String groups, String resources, String names, String verb, String group,
            String resource, String subresource, String name, boolean allowed) {
        PolicyRule rule = new PolicyRule(list(verbs), list(groups), list(resources), list(names), List.of());
        Attributes attributes = Attributes.resource(BOB, verb, value(group), "v1", resource, value(subresource),
                "ns", value(name));
        assertThat(RuleMatching.allows(attributes, rule)).isEqualTo(allowed);
    }

    @ParameterizedTest(name = "{0} {1} vs {2} {3}")
    @CsvSource(delimiter = '|', value = {
            "get|/healthz|get|/healthz|true",
            "get|/healthz|get|/healthz/ping|false",
            "get|/healthz/*|get|/healthz/ping|true",
            "get|/healthz/*|get|/healthz|false",
            "get|/api*|get|/apis/apps|true",
            "get|*|get|/anything|true",
            "get|/version|post|/version|false",
            "*|/version|post|/version|true",
    })
    void nonResourceRules(String verbs, String urls, String verb, String path, boolean allowed) {
        PolicyRule rule = PolicyRule.urls(list(verbs), list(urls));
        assertThat(RuleMatching.allows(Attributes.nonResource(BOB, verb, path), rule)).isEqualTo(allowed);
    }

    @Test
    void resourceRulesNeverMatchPathsNorUrlRulesResources() {
        PolicyRule resources = PolicyRule.resources(List.of("*"), List.of("*"), List.of("*"));
        assertThat(RuleMatching.allows(Attributes.nonResource(BOB, "get", "/healthz"), resources)).isFalse();
        PolicyRule urls = PolicyRule.urls(List.of("*"), List.of("*"));
        assertThat(RuleMatching.allows(Attributes.resource(BOB, "get", "", "v1", "pods", "", "ns", "p"), urls))
                .isFalse();
    }

    private static List<String> list(String value) {
        if (value.equals("-")) {
            return List.of();
        }
        return Arrays.stream(value.split(" ")).map(RuleMatchingTest::value).toList();
    }

    private static String value(String value) {
        return value.equals("-") ? "" : value.equals("core") ? "" : value;
    }
}
