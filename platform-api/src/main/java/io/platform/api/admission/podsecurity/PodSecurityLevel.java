package io.platform.api.admission.podsecurity;

import java.util.Locale;
import java.util.Optional;

/** The Pod Security Standards' levels, from the most permissive to the most restrictive (their compare order). */
enum PodSecurityLevel {
    PRIVILEGED, BASELINE, RESTRICTED;

    /** Upstream's message for a value that names no level. */
    static final String INVALID = "must be one of privileged, baseline, restricted";

    /** The level a label or setting names; empty for anything else. */
    static Optional<PodSecurityLevel> parse(String value) {
        for (PodSecurityLevel level : values()) {
            if (level.label().equals(value)) {
                return Optional.of(level);
            }
        }
        return Optional.empty();
    }

    String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
