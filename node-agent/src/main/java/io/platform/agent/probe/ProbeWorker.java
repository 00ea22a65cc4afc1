package io.platform.agent.probe;

import io.fabric8.kubernetes.api.model.Probe;
import io.platform.agent.probe.ProbeType.ProbeResult;
import io.platform.agent.runtime.ContainerInstance;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * One probe of one container instance, as the kubelet's probe worker: its settings from the spec
 * with upstream's defaults, and the result kept by the thresholds. A result changes only after
 * {@code successThreshold} successes or {@code failureThreshold} failures in a row; a liveness or
 * startup failure puts the worker on hold until the container is replaced.
 */
final class ProbeWorker {

    /** Runs the probe's handler once. */
    @FunctionalInterface
    interface Check {
        HandlerResult run(@Nullable ContainerInstance sandbox, Duration timeout) throws InterruptedException;
    }

    private final ProbeType type;
    private final Duration initialDelay;
    private final Duration period;
    private final Duration timeout;
    private final int successThreshold;
    private final int failureThreshold;
    private final Check check;
    /** A tick finds the previous probe still running: it is skipped, as the kubelet probes one at a time. */
    private final AtomicBoolean probing = new AtomicBoolean();

    private ProbeResult result;
    private @Nullable Boolean lastSucceeded;
    private int run;
    private boolean onHold;
    private String lastFailure = "";

    ProbeWorker(ProbeType type, Probe probe, Check check) {
        this.type = type;
        this.initialDelay = Duration.ofSeconds(orDefault(probe.getInitialDelaySeconds(), 0, 0));
        this.period = Duration.ofSeconds(orDefault(probe.getPeriodSeconds(), 10, 1));
        this.timeout = Duration.ofSeconds(orDefault(probe.getTimeoutSeconds(), 1, 1));
        this.successThreshold = orDefault(probe.getSuccessThreshold(), 1, 1);
        this.failureThreshold = orDefault(probe.getFailureThreshold(), 3, 1);
        this.check = check;
        this.result = type.initial();
    }

    private static int orDefault(@Nullable Integer value, int fallback, int minimum) {
        return value == null || value == 0 ? fallback : Math.max(minimum, value);
    }

    ProbeType type() {
        return type;
    }

    Duration initialDelay() {
        return initialDelay;
    }

    Duration period() {
        return period;
    }

    /** Runs the handler with the probe's timeout; {@code sandbox} holds the pod's address. */
    HandlerResult check(@Nullable ContainerInstance sandbox) throws InterruptedException {
        return check.run(sandbox, timeout);
    }

    /** Claims the worker for one probe; false while the previous one still runs. */
    boolean begin() {
        return probing.compareAndSet(false, true);
    }

    void end() {
        probing.set(false);
    }

    /** Counts one handler result; true when the probe's result changed. */
    synchronized boolean record(HandlerResult outcome) {
        if (outcome.outcome() == HandlerResult.Outcome.ERROR || onHold) {
            return false;
        }
        boolean succeeded = outcome.succeeded();
        if (lastSucceeded != null && lastSucceeded == succeeded) {
            run++;
        } else {
            lastSucceeded = succeeded;
            run = 1;
        }
        if (!succeeded) {
            lastFailure = outcome.output();
        }
        if (run < (succeeded ? successThreshold : failureThreshold)) {
            return false;
        }
        ProbeResult next = succeeded ? ProbeResult.SUCCESS : ProbeResult.FAILURE;
        boolean changed = next != result;
        result = next;
        if (!succeeded && type != ProbeType.READINESS) {
            // the container will be restarted: no more probes until a new instance replaces it
            onHold = true;
            run = 0;
        }
        return changed;
    }

    /** Sets the result without probing (a terminating pod's liveness); true when it changed. */
    synchronized boolean force(ProbeResult next) {
        boolean changed = next != result;
        result = next;
        return changed;
    }

    synchronized ProbeResult result() {
        return result;
    }

    synchronized boolean onHold() {
        return onHold;
    }

    /** The output of the latest failed probe, as the kubelet's Unhealthy event shows it. */
    synchronized String lastFailure() {
        return lastFailure;
    }
}
