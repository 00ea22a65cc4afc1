package io.platform.api.admission.podsecurity;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A policy version as the {@code -version} labels name it, upstream's api.Version: {@code latest} or {@code v1.N}
 * (the checks as they were in Kubernetes 1.N).
 *
 * @param minor N of {@code v1.N}; unused for {@code latest}
 * @param latest whether this is {@code latest}, newer than every numbered version
 */
record PodSecurityVersion(int minor, boolean latest) {

    static final PodSecurityVersion LATEST = new PodSecurityVersion(0, true);
    /** Upstream's message for a value that names no version. */
    static final String INVALID = "must be \"latest\" or \"v1.x\"";

    private static final Pattern NUMBERED = Pattern.compile("v1\\.(0|[1-9][0-9]*)");

    static PodSecurityVersion of(int minor) {
        return new PodSecurityVersion(minor, false);
    }

    /** The version {@code value} names; empty for anything but {@code latest} and {@code v1.N}. */
    static Optional<PodSecurityVersion> parse(String value) {
        if (value.equals("latest")) {
            return Optional.of(LATEST);
        }
        Matcher matcher = NUMBERED.matcher(value);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(of(Integer.parseInt(matcher.group(1))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Whether this version is older than {@code other} ({@code latest} is never older). */
    boolean olderThan(PodSecurityVersion other) {
        if (latest) {
            return false;
        }
        return other.latest || minor < other.minor;
    }

    @Override
    public String toString() {
        return latest ? "latest" : "v1." + minor;
    }
}
