package io.platform.console.overview;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.jspecify.annotations.Nullable;

/** Ages written the way kubectl's AGE column writes them (k8s.io/apimachinery HumanDuration). */
final class Ages {

    private Ages() {}

    static String since(@Nullable String creationTimestamp, Instant now) {
        if (creationTimestamp == null || creationTimestamp.isBlank()) {
            return "<unknown>";
        }
        try {
            return human(Duration.between(Instant.parse(creationTimestamp), now));
        } catch (DateTimeParseException e) {
            return "<unknown>";
        }
    }

    static String human(Duration age) {
        long seconds = age.toSeconds();
        if (seconds < -1) {
            return "<invalid>";
        }
        if (seconds < 0) {
            return "0s";
        }
        if (seconds < 120) {
            return seconds + "s";
        }
        long minutes = age.toMinutes();
        if (minutes < 10) {
            return withRemainder(minutes, "m", seconds % 60, "s");
        }
        if (minutes < 180) {
            return minutes + "m";
        }
        long hours = age.toHours();
        if (hours < 8) {
            return withRemainder(hours, "h", minutes % 60, "m");
        }
        if (hours < 48) {
            return hours + "h";
        }
        if (hours < 24 * 8) {
            return withRemainder(hours / 24, "d", hours % 24, "h");
        }
        if (hours < 24 * 365 * 2) {
            return hours / 24 + "d";
        }
        if (hours < 24 * 365 * 8) {
            return withRemainder(hours / 24 / 365, "y", hours / 24 % 365, "d");
        }
        return hours / 24 / 365 + "y";
    }

    private static String withRemainder(long major, String majorUnit, long minor, String minorUnit) {
        return minor == 0 ? major + majorUnit : major + majorUnit + minor + minorUnit;
    }
}
