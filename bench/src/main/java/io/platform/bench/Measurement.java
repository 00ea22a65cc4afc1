package io.platform.bench;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * What one phase measured in its window.
 *
 * @param operations operations that succeeded in the window
 * @param errors operations that failed in the window
 * @param p50Nanos median latency of the successful ones
 * @param p99Nanos 99th percentile latency of the successful ones
 * @param cpu how busy this JVM and the machine were in the window
 * @param firstError the first failure, for the report
 */
record Measurement(long operations, long errors, Duration window, long p50Nanos, long p99Nanos, CpuUse cpu,
        @Nullable String firstError) {

    double perSecond() {
        return operations / (window.toNanos() / 1e9);
    }

    double p50Millis() {
        return p50Nanos / 1e6;
    }

    double p99Millis() {
        return p99Nanos / 1e6;
    }

    /** One line for the progress output. */
    String summary() {
        String line = "%.0f/s (%d in %s), p50 %.2f ms, p99 %.2f ms, %s".formatted(perSecond(), operations,
                Durations.text(window), p50Millis(), p99Millis(), cpu.summary(operations, window));
        return errors == 0 ? line : line + ", " + errors + " errors, first: " + firstError;
    }
}
