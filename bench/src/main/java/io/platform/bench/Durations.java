package io.platform.bench;

import java.time.Duration;
import java.util.Locale;

/** Durations as the progress lines print them: {@code 10s}, {@code 0.5s}, {@code 1m30s}. */
final class Durations {

    private Durations() {}

    static String text(Duration duration) {
        return duration.toString().substring(2).toLowerCase(Locale.ROOT);
    }
}
