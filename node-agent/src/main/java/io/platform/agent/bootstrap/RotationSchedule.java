package io.platform.agent.bootstrap;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * When to renew a certificate, as the kubelet's certificate manager: once {@code threshold} of its validity plus a
 * random share of up to {@code jitter} has passed, counted from its notBefore; after a failed renewal, again after a
 * delay that doubles from {@code retryInterval} up to {@code maxRetryInterval}.
 *
 * @param random values in [0, 1)
 */
record RotationSchedule(double threshold, double jitter, DoubleSupplier random, Clock clock, Duration retryInterval,
        Duration maxRetryInterval) {

    static RotationSchedule of(BootstrapProperties properties, Clock clock) {
        return new RotationSchedule(properties.rotationThreshold(), properties.rotationJitter(),
                () -> ThreadLocalRandom.current().nextDouble(), clock, properties.retryInterval(),
                properties.maxRetryInterval());
    }

    /** The jittered moment to renew {@code certificate}; drawn again at each call. */
    Instant deadline(X509Certificate certificate) {
        return deadline(certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant());
    }

    Instant deadline(Instant notBefore, Instant notAfter) {
        long validity = Duration.between(notBefore, notAfter).toMillis();
        double share = threshold + jitter * random.getAsDouble();
        return notBefore.plusMillis(Math.round(validity * share));
    }

    /** How long from now until {@code deadline}; zero once it has passed. */
    Duration until(Instant deadline) {
        Duration left = Duration.between(clock.instant(), deadline);
        return left.isNegative() ? Duration.ZERO : left;
    }

    /** The wait after the {@code failures}-th failed renewal in a row (1 for the first). */
    Duration retryDelay(int failures) {
        Duration delay = retryInterval;
        for (int i = 1; i < failures && delay.compareTo(maxRetryInterval) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(maxRetryInterval) > 0 ? maxRetryInterval : delay;
    }
}
