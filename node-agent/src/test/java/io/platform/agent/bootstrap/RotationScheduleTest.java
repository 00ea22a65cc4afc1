package io.platform.agent.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.platform.common.pki.CertificateSigner;
import io.platform.common.pki.KeyPairs;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The kubelet's rotation timing: 70–90 % of the validity, jittered, counted from notBefore; doubling retries. */
class RotationScheduleTest {

    private static final Instant NOT_BEFORE = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant NOT_AFTER = NOT_BEFORE.plus(Duration.ofDays(100));

    @Test
    void renewsAfterSeventyPercentWithoutJitterAndBeforeNinetyWithTheMostJitter() {
        Clock start = Clock.fixed(NOT_BEFORE, ZoneOffset.UTC);

        RotationSchedule earliest = schedule(0.0, start);
        RotationSchedule latest = schedule(0.999_999, start);

        assertThat(earliest.deadline(NOT_BEFORE, NOT_AFTER)).isEqualTo(NOT_BEFORE.plus(Duration.ofDays(70)));
        assertThat(earliest.until(earliest.deadline(NOT_BEFORE, NOT_AFTER))).isEqualTo(Duration.ofDays(70));
        assertThat(latest.deadline(NOT_BEFORE, NOT_AFTER))
                .isAfter(NOT_BEFORE.plus(Duration.ofDays(89)))
                .isBefore(NOT_BEFORE.plus(Duration.ofDays(90)));
    }

    @Test
    void spreadsDeadlinesOverTheJitterWindow() {
        RotationSchedule halfway = schedule(0.5, Clock.fixed(NOT_BEFORE, ZoneOffset.UTC));

        assertThat(halfway.deadline(NOT_BEFORE, NOT_AFTER)).isEqualTo(NOT_BEFORE.plus(Duration.ofDays(80)));
    }

    @Test
    void countsTheTimeLeftFromTheClockAndIsDueAtOnceWhenOverdue() {
        Instant deadline = schedule(0.0, Clock.systemUTC()).deadline(NOT_BEFORE, NOT_AFTER);

        assertThat(schedule(0.0, Clock.fixed(NOT_BEFORE.plus(Duration.ofDays(60)), ZoneOffset.UTC)).until(deadline))
                .isEqualTo(Duration.ofDays(10));
        assertThat(schedule(0.0, Clock.fixed(NOT_BEFORE.plus(Duration.ofDays(75)), ZoneOffset.UTC)).until(deadline))
                .isZero();
        assertThat(schedule(0.0, Clock.fixed(NOT_AFTER.plus(Duration.ofDays(1)), ZoneOffset.UTC)).until(deadline))
                .isZero();
    }

    @Test
    void readsTheValidityOfACertificate() {
        Instant notBefore = Instant.parse("2026-03-01T12:00:00Z");
        X509Certificate certificate = CertificateSigner.selfSignedCa(KeyPairs.ecP256(), "rotation-test", notBefore,
                notBefore.plus(Duration.ofMinutes(10)));
        RotationSchedule schedule = schedule(0.0, Clock.fixed(notBefore.plus(Duration.ofMinutes(2)), ZoneOffset.UTC));

        Instant deadline = schedule.deadline(certificate);

        assertThat(deadline).isEqualTo(notBefore.plus(Duration.ofMinutes(7)));
        assertThat(schedule.until(deadline)).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void retriesWithADoublingDelayUpToTheMaximum() {
        RotationSchedule schedule = schedule(0.0, Clock.systemUTC());

        assertThat(schedule.retryDelay(1)).isEqualTo(Duration.ofSeconds(2));
        assertThat(schedule.retryDelay(2)).isEqualTo(Duration.ofSeconds(4));
        assertThat(schedule.retryDelay(5)).isEqualTo(Duration.ofSeconds(32));
        assertThat(schedule.retryDelay(9)).isEqualTo(Duration.ofMinutes(5));
        assertThat(schedule.retryDelay(1000)).isEqualTo(Duration.ofMinutes(5));
    }

    private static RotationSchedule schedule(double random, Clock clock) {
        return new RotationSchedule(0.7, 0.2, () -> random, clock, Duration.ofSeconds(2), Duration.ofMinutes(5));
    }
}
