package io.platform.common.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExpectationsTest {

    private final ObjectKey rs = new ObjectKey("default", "web");
    private Instant now = Instant.parse("2025-01-01T00:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };
    private final Expectations expectations = new Expectations(clock, Duration.ofMinutes(5));

    @Test
    void creationsMustAllBeObserved() {
        assertThat(expectations.satisfied(rs)).isTrue();
        expectations.expectCreations(rs, 2);
        assertThat(expectations.satisfied(rs)).isFalse();
        expectations.creationObserved(rs);
        assertThat(expectations.satisfied(rs)).isFalse();
        expectations.creationObserved(rs);
        assertThat(expectations.satisfied(rs)).isTrue();
    }

    @Test
    void deletionsAreTrackedByObject() {
        ObjectKey a = new ObjectKey("default", "web-a");
        ObjectKey b = new ObjectKey("default", "web-b");
        expectations.expectDeletions(rs, List.of(a, b));
        expectations.deletionObserved(rs, a);
        expectations.deletionObserved(rs, a);
        assertThat(expectations.satisfied(rs)).isFalse();
        expectations.deletionObserved(rs, b);
        assertThat(expectations.satisfied(rs)).isTrue();
    }

    @Test
    void expectationsExpireAfterTheTimeout() {
        expectations.expectCreations(rs, 1);
        now = now.plus(Duration.ofMinutes(4));
        assertThat(expectations.satisfied(rs)).isFalse();
        now = now.plus(Duration.ofMinutes(1));
        assertThat(expectations.satisfied(rs)).isTrue();
    }
}
