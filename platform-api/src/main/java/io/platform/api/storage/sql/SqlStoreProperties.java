package io.platform.api.storage.sql;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * Settings of the SQL store ({@code platform.api.storage.*}).
 *
 * @param url where the store lives, {@code sqlite:/path/state.db}; unset means
 *     {@code sqlite:<platform.api.data-dir>/state.db}
 * @param pollInterval how often watch looks for rows written by other processes on the same database
 * @param busyTimeout how long a write waits for another process's write lock before failing
 * @param readers connections serving reads concurrently with the one writer
 * @param watchBufferSize events buffered per watcher before it falls back to reading the log itself
 * @param watchGapTimeout how long watch waits for a missing revision to commit before it skips it
 * @param compactionBatchSize revisions swept per compaction transaction, so writers interleave
 */
@ConfigurationProperties(SqlStoreProperties.PREFIX)
public record SqlStoreProperties(
        @Nullable String url,
        @DefaultValue("1s") Duration pollInterval,
        @DefaultValue("10s") Duration busyTimeout,
        @DefaultValue("4") int readers,
        @DefaultValue("1024") int watchBufferSize,
        @DefaultValue("2s") Duration watchGapTimeout,
        @DefaultValue("1000") int compactionBatchSize) {

    static final String PREFIX = "platform.api.storage";
    static final String SCHEME = "sqlite:";

    public SqlStoreProperties {
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException(
                    "platform.api.storage.poll-interval must be positive, got " + pollInterval);
        }
        if (readers < 1 || watchBufferSize < 1 || compactionBatchSize < 1) {
            throw new IllegalArgumentException("platform.api.storage.readers, watch-buffer-size and "
                    + "compaction-batch-size must be at least 1");
        }
    }

    /** The defaults, for the SQLite file {@code file}. */
    public static SqlStoreProperties sqlite(Path file) {
        return new Binder(new MapConfigurationPropertySource(Map.of(PREFIX + ".url", SCHEME + file.toAbsolutePath())))
                .bindOrCreate(PREFIX, SqlStoreProperties.class);
    }

    public SqlStoreProperties withUrl(String newUrl) {
        return new SqlStoreProperties(newUrl, pollInterval, busyTimeout, readers, watchBufferSize, watchGapTimeout,
                compactionBatchSize);
    }

    public SqlStoreProperties withPollInterval(Duration interval) {
        return new SqlStoreProperties(url, interval, busyTimeout, readers, watchBufferSize, watchGapTimeout,
                compactionBatchSize);
    }

    public SqlStoreProperties withWatchBufferSize(int size) {
        return new SqlStoreProperties(url, pollInterval, busyTimeout, readers, size, watchGapTimeout,
                compactionBatchSize);
    }

    public SqlStoreProperties withWatchGapTimeout(Duration timeout) {
        return new SqlStoreProperties(url, pollInterval, busyTimeout, readers, watchBufferSize, timeout,
                compactionBatchSize);
    }

    public SqlStoreProperties withCompactionBatchSize(int size) {
        return new SqlStoreProperties(url, pollInterval, busyTimeout, readers, watchBufferSize, watchGapTimeout, size);
    }

    /** The SQLite file the url names, made absolute. */
    public Path sqliteFile() {
        if (url == null || !url.startsWith(SCHEME) || url.length() == SCHEME.length()) {
            throw new IllegalArgumentException(
                    "platform.api.storage.url must look like sqlite:/path/to/state.db, got " + url);
        }
        return Path.of(url.substring(SCHEME.length())).toAbsolutePath().normalize();
    }
}
