package io.platform.agent.pod;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** The earliest time a pod needs another sync, as one sync's steps ask for it. */
final class Requeue {

    private @Nullable Duration delay;

    /** Asks for a sync after {@code candidate} (at the earliest of all asks; zero means very soon). */
    void after(Duration candidate) {
        Duration at = candidate.isZero() ? Duration.ofMillis(100) : candidate;
        if (delay == null || at.compareTo(delay) < 0) {
            delay = at;
        }
    }

    @Nullable Duration delay() {
        return delay;
    }
}
