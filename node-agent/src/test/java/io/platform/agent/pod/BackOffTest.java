package io.platform.agent.pod;

import static org.assertj.core.api.Assertions.assertThat;

import io.platform.agent.AgentProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class BackOffTest {

    private Instant now = Instant.parse("2026-01-01T00:00:00Z");
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

    @Test
    void firstEventPassesThenDelaysDoubleUpToTheMax() {
        BackOff backOff = new BackOff(new AgentProperties.BackOffSettings(Duration.ofSeconds(10), Duration.ofSeconds(40), Duration.ofMinutes(10)), clock);
        assertThat(backOff.inBackOffSince("pod/c", now)).isFalse();
        backOff.next("pod/c", now);
        assertThat(backOff.inBackOffSince("pod/c", now)).isTrue();
        assertThat(backOff.remaining("pod/c", now)).isEqualTo(Duration.ofSeconds(10));
        now = now.plusSeconds(10);
        assertThat(backOff.inBackOffSince("pod/c", now.minusSeconds(10))).isFalse();
        backOff.next("pod/c", now);
        backOff.next("pod/c", now);
        backOff.next("pod/c", now);
        assertThat(backOff.delay("pod/c")).isEqualTo(Duration.ofSeconds(40));
        now = now.plusSeconds(81);
        backOff.next("pod/c", now);
        assertThat(backOff.delay("pod/c")).isEqualTo(Duration.ofSeconds(10));
        backOff.forgetPrefix("pod/");
        assertThat(backOff.delay("pod/c")).isNull();
    }
}
