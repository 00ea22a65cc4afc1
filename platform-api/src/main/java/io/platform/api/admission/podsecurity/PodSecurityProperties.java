package io.platform.api.admission.podsecurity;

import io.platform.api.errors.StatusCause;
import io.platform.api.strategy.NameRule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * PodSecurity's settings ({@code platform.api.admission.pod-security.*}), as upstream's PodSecurityConfiguration
 * (kube-apiserver's admission configuration file): the levels of namespaces without labels, and who or what is
 * exempt. Invalid settings stop the server from starting, as upstream's do.
 *
 * @param defaults each mode's level and version where a namespace has no label for it
 * @param exemptions requests never evaluated
 * @param namespacePodCheckTimeout how long a namespace's new enforce level is checked against its pods before the
 *     update is answered (upstream's 1 s)
 * @param namespaceMaxPodsToCheck how many of a namespace's pods that check looks at (upstream's 3000)
 */
@ConfigurationProperties(PodSecurityProperties.PREFIX)
public record PodSecurityProperties(
        @DefaultValue Defaults defaults,
        @DefaultValue Exemptions exemptions,
        @DefaultValue("1s") Duration namespacePodCheckTimeout,
        @DefaultValue("3000") int namespaceMaxPodsToCheck) {

    public static final String PREFIX = "platform.api.admission.pod-security";

    /**
     * Each mode's level ({@code privileged}, {@code baseline}, {@code restricted}) and version ({@code latest} or
     * {@code v1.N}) for namespaces without the label.
     */
    public record Defaults(
            @DefaultValue("privileged") String enforce,
            @DefaultValue("latest") String enforceVersion,
            @DefaultValue("privileged") String audit,
            @DefaultValue("latest") String auditVersion,
            @DefaultValue("privileged") String warn,
            @DefaultValue("latest") String warnVersion) {}

    /**
     * Requests PodSecurity never evaluates (annotated {@code pod-security.kubernetes.io/exempt} with the reason).
     *
     * @param usernames requesting users (the authenticated, or impersonated, name)
     * @param namespaces namespaces of the pods and workloads
     * @param runtimeClasses pods' {@code spec.runtimeClassName}
     */
    public record Exemptions(
            @DefaultValue List<String> usernames,
            @DefaultValue List<String> namespaces,
            @DefaultValue List<String> runtimeClasses) {}

    public PodSecurityProperties {
        List<String> problems = new ArrayList<>();
        level(problems, "defaults.enforce", defaults.enforce());
        version(problems, "defaults.enforce-version", defaults.enforceVersion());
        level(problems, "defaults.warn", defaults.warn());
        version(problems, "defaults.warn-version", defaults.warnVersion());
        level(problems, "defaults.audit", defaults.audit());
        version(problems, "defaults.audit-version", defaults.auditVersion());
        names(problems, "exemptions.namespaces", exemptions.namespaces(), NameRule.DNS_LABEL);
        names(problems, "exemptions.runtime-classes", exemptions.runtimeClasses(), NameRule.DNS_SUBDOMAIN);
        Set<String> users = new HashSet<>();
        for (int i = 0; i < exemptions.usernames().size(); i++) {
            String user = exemptions.usernames().get(i);
            if (user.isEmpty()) {
                problems.add(StatusCause.invalid("exemptions.usernames[" + i + "]", user, "username must not be empty")
                        .describe());
            } else if (!users.add(user)) {
                problems.add("exemptions.usernames[" + i + "]: Duplicate value: \"" + user + "\"");
            }
        }
        if (namespacePodCheckTimeout.isNegative() || namespacePodCheckTimeout.isZero() || namespaceMaxPodsToCheck < 1) {
            problems.add("namespace-pod-check-timeout and namespace-max-pods-to-check must be positive");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(PREFIX + ": " + String.join(", ", problems));
        }
    }

    /** The settings when none are given (privileged everywhere, no exemptions), for tests that build the plugin. */
    static PodSecurityProperties unconfigured() {
        return new PodSecurityProperties(new Defaults("privileged", "latest", "privileged", "latest", "privileged",
                "latest"), new Exemptions(List.of(), List.of(), List.of()), Duration.ofSeconds(1), 3000);
    }

    /** The policy of a namespace without labels. */
    NamespacePolicy defaultPolicy() {
        return new NamespacePolicy(levelVersion(defaults.enforce(), defaults.enforceVersion()),
                levelVersion(defaults.audit(), defaults.auditVersion()),
                levelVersion(defaults.warn(), defaults.warnVersion()));
    }

    private static LevelVersion levelVersion(String level, String version) {
        return new LevelVersion(PodSecurityLevel.parse(level).orElseThrow(),
                PodSecurityVersion.parse(version).orElseThrow());
    }

    private static void level(List<String> problems, String field, String value) {
        if (PodSecurityLevel.parse(value).isEmpty()) {
            problems.add(StatusCause.invalid(field, value, PodSecurityLevel.INVALID).describe());
        }
    }

    private static void version(List<String> problems, String field, String value) {
        if (PodSecurityVersion.parse(value).isEmpty()) {
            problems.add(StatusCause.invalid(field, value, PodSecurityVersion.INVALID).describe());
        }
    }

    private static void names(List<String> problems, String field, List<String> names, NameRule rule) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            List<String> invalid = rule.problems(name);
            if (!invalid.isEmpty()) {
                problems.add(StatusCause.invalid(field + "[" + i + "]", name, String.join(", ", invalid)).describe());
            } else if (!seen.add(name)) {
                problems.add(field + "[" + i + "]: Duplicate value: \"" + name + "\"");
            }
        }
    }
}
