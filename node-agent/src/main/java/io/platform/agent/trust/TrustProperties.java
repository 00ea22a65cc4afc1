package io.platform.agent.trust;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the trust bundle follower ({@code platform.agent.trust.*}).
 *
 * @param syncInterval how often the agent reads the published bundle ({@code kube-public/cluster-info})
 * @param requestTimeout how long one read may take
 */
@ConfigurationProperties("platform.agent.trust")
public record TrustProperties(
        @DefaultValue("30s") Duration syncInterval,
        @DefaultValue("10s") Duration requestTimeout) {

    public TrustProperties {
        if (syncInterval.isNegative() || syncInterval.isZero()) {
            throw new IllegalArgumentException("platform.agent.trust.sync-interval must be positive, not " + syncInterval);
        }
    }
}
