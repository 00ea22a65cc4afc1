package io.platform.agent.volume;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** When the kubelet's token manager asks for a new token: past 80% of the lifetime, or a day after issue. */
class ServiceAccountTokensTest {

    private static final Instant ISSUED = Instant.parse("2025-01-01T00:00:00Z");

    @Test
    void aTokenIsRefreshedOnce80PercentOfItsLifetimeHasPassed() {
        ServiceAccountTokens.Issued token = new ServiceAccountTokens.Issued("t", ISSUED, ISSUED.plusSeconds(3600));
        assertThat(token.needsRefresh(ISSUED.plusSeconds(2879))).isFalse();
        assertThat(token.needsRefresh(ISSUED.plusSeconds(2880))).isTrue();
    }

    @Test
    void aLongLivedTokenIsRefreshedAfterADay() {
        ServiceAccountTokens.Issued token = new ServiceAccountTokens.Issued("t", ISSUED, ISSUED.plusSeconds(7 * 24 * 3600));
        assertThat(token.needsRefresh(ISSUED.plusSeconds(24 * 3600 - 1))).isFalse();
        assertThat(token.needsRefresh(ISSUED.plusSeconds(24 * 3600))).isTrue();
    }
}
