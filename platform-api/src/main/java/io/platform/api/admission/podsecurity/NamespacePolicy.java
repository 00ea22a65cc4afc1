package io.platform.api.admission.podsecurity;

import io.platform.api.errors.StatusCause;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * A namespace's policy in the three modes, as upstream's api.Policy: {@code enforce} refuses pods, {@code audit}
 * annotates the audit event, {@code warn} answers warnings.
 */
record NamespacePolicy(LevelVersion enforce, LevelVersion audit, LevelVersion warn) {

    static final String LABEL_PREFIX = "pod-security.kubernetes.io/";

    /** The policy the labels resolve to and what is wrong with them (each a {@code metadata.labels[...]} cause). */
    record Resolved(NamespacePolicy policy, List<StatusCause> problems) {}

    /**
     * The labels' policy over {@code defaults}, as upstream's PolicyToEvaluate: an unset label keeps the default; a
     * level no one knows enforces {@code restricted} (failing closed) but audits and warns nothing (failing open); a
     * version no one knows is {@code latest}; an enforce level set more restrictive than the warn level, with no
     * warn label, is warned at too.
     */
    static Resolved resolve(JsonNode labels, NamespacePolicy defaults) {
        List<StatusCause> problems = new ArrayList<>();
        if (labels.isEmpty()) {
            return new Resolved(defaults, problems);
        }
        PodSecurityLevel enforceLevel = defaults.enforce.level();
        PodSecurityVersion enforceVersion = defaults.enforce.version();
        PodSecurityLevel auditLevel = defaults.audit.level();
        PodSecurityVersion auditVersion = defaults.audit.version();
        PodSecurityLevel warnLevel = defaults.warn.level();
        PodSecurityVersion warnVersion = defaults.warn.version();
        boolean enforceLabelled = false;
        if (labels.has(LABEL_PREFIX + "enforce")) {
            var parsed = PodSecurityLevel.parse(label(labels, "enforce"));
            enforceLevel = parsed.orElse(PodSecurityLevel.RESTRICTED);
            enforceLabelled = parsed.isPresent();
            check(parsed.isPresent(), labels, "enforce", PodSecurityLevel.INVALID, problems);
        }
        if (labels.has(LABEL_PREFIX + "enforce-version")) {
            enforceVersion = version(labels, "enforce-version", problems);
        }
        if (labels.has(LABEL_PREFIX + "audit")) {
            auditLevel = level(labels, "audit", problems);
        }
        if (labels.has(LABEL_PREFIX + "audit-version")) {
            auditVersion = version(labels, "audit-version", problems);
        }
        boolean warnLabelled = labels.has(LABEL_PREFIX + "warn");
        if (warnLabelled) {
            warnLevel = level(labels, "warn", problems);
        }
        boolean warnVersionLabelled = labels.has(LABEL_PREFIX + "warn-version");
        if (warnVersionLabelled) {
            warnVersion = version(labels, "warn-version", problems);
        }
        if (!warnLabelled && enforceLabelled && enforceLevel.compareTo(warnLevel) > 0) {
            warnLevel = enforceLevel;
            if (!warnVersionLabelled) {
                warnVersion = enforceVersion;
            }
        }
        return new Resolved(new NamespacePolicy(new LevelVersion(enforceLevel, enforceVersion),
                new LevelVersion(auditLevel, auditVersion), new LevelVersion(warnLevel, warnVersion)), problems);
    }

    private static String label(JsonNode labels, String mode) {
        return labels.path(LABEL_PREFIX + mode).asString("");
    }

    /** An audit or warn level: privileged when no one knows it. */
    private static PodSecurityLevel level(JsonNode labels, String mode, List<StatusCause> problems) {
        var parsed = PodSecurityLevel.parse(label(labels, mode));
        check(parsed.isPresent(), labels, mode, PodSecurityLevel.INVALID, problems);
        return parsed.orElse(PodSecurityLevel.PRIVILEGED);
    }

    private static PodSecurityVersion version(JsonNode labels, String label, List<StatusCause> problems) {
        var parsed = PodSecurityVersion.parse(label(labels, label));
        check(parsed.isPresent(), labels, label, PodSecurityVersion.INVALID, problems);
        return parsed.orElse(PodSecurityVersion.LATEST);
    }

    private static void check(boolean valid, JsonNode labels, String label, String message, List<StatusCause> problems) {
        if (!valid) {
            problems.add(StatusCause.invalid("metadata.labels[" + LABEL_PREFIX + label + "]", label(labels, label),
                    message));
        }
    }

    /** Whether no mode restricts anything. */
    boolean fullyPrivileged() {
        return enforce.level() == PodSecurityLevel.PRIVILEGED && audit.level() == PodSecurityLevel.PRIVILEGED
                && warn.level() == PodSecurityLevel.PRIVILEGED;
    }

    /** Whether every mode allows the same pods as {@code other}'s. */
    boolean equivalent(NamespacePolicy other) {
        return enforce.equivalent(other.enforce) && audit.equivalent(other.audit) && warn.equivalent(other.warn);
    }
}
