package io.platform.agent.pod;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Probe;
import io.platform.agent.probe.LifecycleHooks;
import io.platform.agent.runtime.ContainerInstance;
import io.platform.agent.runtime.ContainerRuntime;
import io.platform.common.events.EventRecorder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Stops container instances within their grace period, preStop hook first, as the kubelet's {@code killContainer}. */
final class ContainerStops {

    private static final Logger log = LoggerFactory.getLogger(ContainerStops.class);
    private static final long DEFAULT_GRACE_SECONDS = 30;
    /** The kubelet's {@code minimumGracePeriodInSeconds}: what SIGTERM gets at least after a preStop hook. */
    private static final Duration MINIMUM_GRACE = Duration.ofSeconds(2);

    private final ContainerRuntime runtime;
    private final LifecycleHooks hooks;
    private final EventRecorder events;
    private final Clock clock;

    ContainerStops(ContainerRuntime runtime, LifecycleHooks hooks, EventRecorder events, Clock clock) {
        this.runtime = runtime;
        this.hooks = hooks;
        this.events = events;
        this.clock = clock;
    }

    /**
     * Stops one instance as the kubelet's {@code killContainer}: the preStop hook within the grace period, then
     * SIGTERM, then SIGKILL when what is left of the grace period (at least two seconds) ran out.
     */
    void kill(Pod pod, String key, @Nullable Container spec, ContainerInstance instance,
            @Nullable ContainerInstance sandbox, Duration grace) throws InterruptedException {
        Instant deadline = clock.instant().plus(grace);
        LifecycleHandler preStop = spec == null || spec.getLifecycle() == null ? null : spec.getLifecycle().getPreStop();
        if (preStop != null && sandbox != null && instance.running() && grace.isPositive()) {
            String failure = hooks.run(preStop, pod, sandbox, instance, grace);
            if (failure != null) {
                log.info("Pod {}: preStop hook of {} failed: {}", key, instance.name(), failure);
                events.warning(pod, "FailedPreStopHook", failure);
            }
            Duration left = remaining(deadline);
            runtime.stop(instance.id(), left.compareTo(MINIMUM_GRACE) < 0 ? MINIMUM_GRACE : left);
            return;
        }
        runtime.stop(instance.id(), grace);
    }

    Duration remaining(Instant deadline) {
        Duration left = Duration.between(clock.instant(), deadline);
        return left.isNegative() ? Duration.ZERO : left;
    }

    static long gracePeriod(Pod pod) {
        Long seconds = pod.getSpec().getTerminationGracePeriodSeconds();
        return seconds != null ? seconds : DEFAULT_GRACE_SECONDS;
    }

    /** A liveness or startup probe's own {@code terminationGracePeriodSeconds} wins over the pod's, as upstream. */
    static Duration probeGrace(Pod pod, Container spec) {
        for (Probe probe : Stream.of(spec.getLivenessProbe(), spec.getStartupProbe()).filter(Objects::nonNull).toList()) {
            if (probe.getTerminationGracePeriodSeconds() != null) {
                return Duration.ofSeconds(probe.getTerminationGracePeriodSeconds());
            }
        }
        return Duration.ofSeconds(gracePeriod(pod));
    }
}
