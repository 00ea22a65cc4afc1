package io.platform.api.admission.podsecurity;

import java.util.Locale;
import java.util.Optional;

/** The Pod Security Standards' levels, from the most permissive to the most restrictive. */
enum PodSecurityLevel {
    PRIVILEGED, BASELINE, RESTRICTED;

    /** The level a namespace label names; empty for anything else. */
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
