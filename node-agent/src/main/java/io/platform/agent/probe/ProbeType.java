package io.platform.agent.probe;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Probe;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** The three probes of a container, each with the kubelet's result before its first probe. */
enum ProbeType {
    /** Starts failed: a container is not ready until its probe has succeeded once. */
    READINESS("Readiness", ProbeResult.FAILURE),
    /** Starts healthy: only failureThreshold failures in a row restart the container. */
    LIVENESS("Liveness", ProbeResult.SUCCESS),
    /** Starts unknown: liveness and readiness wait until it succeeds. */
    STARTUP("Startup", ProbeResult.UNKNOWN);

    private final String title;
    private final ProbeResult initial;

    ProbeType(String title, ProbeResult initial) {
        this.title = title;
        this.initial = initial;
    }

    /** As the kubelet's events: {@code Liveness}, {@code Readiness}, {@code Startup}. */
    String title() {
        return title;
    }

    String lowerCase() {
        return title.toLowerCase(Locale.ROOT);
    }

    ProbeResult initial() {
        return initial;
    }

    @Nullable Probe of(Container container) {
        return switch (this) {
            case READINESS -> container.getReadinessProbe();
            case LIVENESS -> container.getLivenessProbe();
            case STARTUP -> container.getStartupProbe();
        };
    }

    /** The probe's result as the kubelet's results manager keeps it. */
    enum ProbeResult {
        SUCCESS, FAILURE, UNKNOWN
    }
}
