package io.platform.api.storage.compaction;

import io.platform.api.storage.Store;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The API server's scheduled compaction of its store (see {@link CompactionProperties}). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CompactionProperties.class)
public class CompactionConfiguration {

    private static final Logger log = LoggerFactory.getLogger(CompactionConfiguration.class);

    @Bean(destroyMethod = "close")
    HistoryCompactor historyCompactor(Store store, Clock clock, CompactionProperties properties) {
        HistoryCompactor compactor = new HistoryCompactor(store, clock, properties.historyRetention());
        if (properties.enabled()) {
            compactor.start(properties.compactionInterval());
        } else {
            log.info("scheduled store compaction is off (platform.api.storage.compaction-interval=0):"
                    + " history grows until compacted otherwise");
        }
        return compactor;
    }
}
