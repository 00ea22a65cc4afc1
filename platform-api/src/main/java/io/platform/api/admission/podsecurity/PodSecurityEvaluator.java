package io.platform.api.admission.podsecurity;

import io.platform.api.admission.podsecurity.PodSecurityChecks.Check;
import io.platform.api.admission.podsecurity.PodSecurityChecks.CheckFunction;
import io.platform.api.admission.podsecurity.PodSecurityChecks.VersionedCheck;
import io.platform.api.admission.podsecurity.PodSecurityChecks.Violation;
import io.platform.api.discovery.VersionInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The checks each level runs at each policy version, as upstream's policy registry: for version 1.N every check's
 * newest revision from 1.N or before; restricted runs the baseline checks its own revisions do not override, plus its
 * own; baseline checks come first, each group in the order of their ids, as upstream reports violations. The newest
 * version is the Kubernetes version the server emulates ({@code latest} and any newer label are evaluated as it), as
 * upstream's evaluator honours its emulation version.
 */
final class PodSecurityEvaluator {

    private final int maxMinor;
    /** Index: the policy version's minor. */
    private final List<List<CheckFunction>> baseline = new ArrayList<>();
    private final List<List<CheckFunction>> restricted = new ArrayList<>();

    /**
     * @param checks every check with its revisions
     * @param emulatedMinor the Kubernetes minor the server emulates; newer revisions are not applied
     */
    PodSecurityEvaluator(List<Check> checks, int emulatedMinor) {
        int newest = checks.stream().mapToInt(c -> c.versions().getLast().minimumMinor()).max().orElse(0);
        this.maxMinor = Math.min(newest, emulatedMinor);
        Comparator<Check> order = Comparator.comparing((Check c) -> c.level() != PodSecurityLevel.BASELINE)
                .thenComparing(Check::id);
        List<Check> ordered = checks.stream().sorted(order).toList();
        for (int minor = 0; minor <= maxMinor; minor++) {
            Set<String> overridden = new HashSet<>();
            for (Check check : ordered) {
                VersionedCheck revision = revision(check, minor);
                if (check.level() == PodSecurityLevel.RESTRICTED && revision != null) {
                    overridden.addAll(revision.overrides());
                }
            }
            List<CheckFunction> baselineChecks = new ArrayList<>();
            List<CheckFunction> restrictedChecks = new ArrayList<>();
            for (Check check : ordered) {
                VersionedCheck revision = revision(check, minor);
                if (revision == null) {
                    continue;
                }
                if (check.level() == PodSecurityLevel.BASELINE) {
                    baselineChecks.add(revision.function());
                    if (!overridden.contains(check.id())) {
                        restrictedChecks.add(revision.function());
                    }
                } else {
                    restrictedChecks.add(revision.function());
                }
            }
            baseline.add(List.copyOf(baselineChecks));
            restricted.add(List.copyOf(restrictedChecks));
        }
    }

    /** The evaluator of every upstream check, up to the Kubernetes version this server emulates. */
    static PodSecurityEvaluator emulated() {
        return new PodSecurityEvaluator(PodSecurityChecks.ALL, Integer.parseInt(VersionInfo.MINOR));
    }

    /** The check's newest revision applying at 1.{@code minor}; null when it did not exist yet. */
    private static @Nullable VersionedCheck revision(Check check, int minor) {
        @Nullable VersionedCheck found = null;
        for (VersionedCheck revision : check.versions()) {
            if (revision.minimumMinor() <= minor) {
                found = revision;
            }
        }
        return found;
    }

    /** The newest policy version, the one {@code latest} means. */
    PodSecurityVersion newest() {
        return PodSecurityVersion.of(maxMinor);
    }

    /** The violations of {@code policy} by a pod (or pod template) with this metadata and spec, in upstream's order. */
    List<Violation> evaluate(LevelVersion policy, JsonNode metadata, JsonNode spec) {
        if (policy.level() == PodSecurityLevel.PRIVILEGED) {
            return List.of();
        }
        PodSecurityVersion version = policy.version();
        int minor = newest().olderThan(version) ? maxMinor : version.minor();
        List<CheckFunction> checks = (policy.level() == PodSecurityLevel.BASELINE ? baseline : restricted).get(minor);
        List<Violation> violations = new ArrayList<>();
        for (CheckFunction check : checks) {
            Violation violation = check.apply(metadata, spec);
            if (violation != null) {
                violations.add(violation);
            }
        }
        return violations;
    }

    /** Upstream's ForbiddenDetail: each reason with its detail in parentheses, comma-separated. */
    static String describe(List<Violation> violations) {
        return String.join(", ", violations.stream().map(Violation::describe).toList());
    }

    /** Upstream's ForbiddenReason: the reasons alone, comma-separated. */
    static String reasons(List<Violation> violations) {
        return String.join(", ", violations.stream().map(Violation::reason).toList());
    }
}
