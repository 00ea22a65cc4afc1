package io.platform.api.storage.compaction;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * When the API server compacts the store ({@code platform.api.storage.*}, beside the backend settings).
 *
 * @param compactionInterval how often to compact, as kube-apiserver's {@code --etcd-compaction-interval}
 *     (5 minutes); 0 turns scheduled compaction off
 * @param historyRetention how long every change stays readable (lists and watches at older
 *     resourceVersions, the console's object history) before compaction may drop it
 */
@ConfigurationProperties("platform.api.storage")
public record CompactionProperties(
        @DefaultValue("5m") Duration compactionInterval,
        @DefaultValue("24h") Duration historyRetention) {

    public CompactionProperties {
        if (compactionInterval.isNegative()) {
            throw new IllegalArgumentException("platform.api.storage.compaction-interval must not be negative"
                    + " (0 turns compaction off), got " + compactionInterval);
        }
        if (historyRetention.isNegative()) {
            throw new IllegalArgumentException(
                    "platform.api.storage.history-retention must not be negative, got " + historyRetention);
        }
    }

    public boolean enabled() {
        return !compactionInterval.isZero();
    }
}
