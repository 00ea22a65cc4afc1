package io.platform.api.storage.sql;

import io.platform.api.storage.StoreUrl;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * Settings of the store ({@code platform.api.storage.*}): which backend, and the SQL backends' tuning
 * (etcd's own settings are {@code platform.api.storage.etcd.*}).
 *
 * @param url where the store lives: {@code sqlite:/path/state.db}, {@code postgres://user@host:port/db}
 *     or {@code etcd://host:port,...} (see {@link StoreUrl}); unset means
 *     {@code sqlite:<platform.api.data-dir>/state.db}
 * @param pollInterval how often watch looks for rows written by other processes on the same database
 *     (PostgreSQL also wakes watch at once through {@code LISTEN/NOTIFY}; the poll is its backstop)
 * @param busyTimeout how long a write waits for another process's write lock before failing
 * @param readers connections serving reads concurrently with the one writer
 * @param watchBufferSize events buffered per watcher before it falls back to reading the store itself
 *     (also used by the etcd backend)
 * @param watchGapTimeout how long watch waits for a missing revision to commit before it skips it
 * @param compactionBatchSize revisions swept per compaction transaction, so writers interleave
 * @param watchReadInterval the shortest time between two reads of the log by watch when this process's commits
 *     wake it: a burst of commits is then read in one query rather than one query each
 */
@ConfigurationProperties(SqlStoreProperties.PREFIX)
public record SqlStoreProperties(
        @Nullable String url,
        @DefaultValue("1s") Duration pollInterval,
        @DefaultValue("10s") Duration busyTimeout,
        @DefaultValue("4") int readers,
        @DefaultValue("1024") int watchBufferSize,
        @DefaultValue("2s") Duration watchGapTimeout,
        @DefaultValue("1000") int compactionBatchSize,
        @DefaultValue("2ms") Duration watchReadInterval) {

    public static final String PREFIX = "platform.api.storage";
    static final String SCHEME = "sqlite:";

    public SqlStoreProperties {
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException(
                    "platform.api.storage.poll-interval must be positive, got " + pollInterval);
        }
        if (watchReadInterval.isNegative()) {
            throw new IllegalArgumentException(
                    "platform.api.storage.watch-read-interval must not be negative, got " + watchReadInterval);
        }
        if (readers < 1 || watchBufferSize < 1 || compactionBatchSize < 1) {
            throw new IllegalArgumentException("platform.api.storage.readers, watch-buffer-size and "
                    + "compaction-batch-size must be at least 1");
        }
    }

    /** The defaults, for the SQLite file {@code file}. */
    public static SqlStoreProperties sqlite(Path file) {
        return forUrl(SCHEME + file.toAbsolutePath());
    }

    /** The defaults, for the store at {@code url} (any backend {@link StoreUrl} accepts). */
    public static SqlStoreProperties forUrl(String url) {
        return new Binder(new MapConfigurationPropertySource(Map.of(PREFIX + ".url", url)))
                .bindOrCreate(PREFIX, SqlStoreProperties.class);
    }

    public SqlStoreProperties withUrl(String newUrl) {
        return new SqlStoreProperties(newUrl, pollInterval, busyTimeout, readers, watchBufferSize, watchGapTimeout,
                compactionBatchSize, watchReadInterval);
    }

    public SqlStoreProperties withPollInterval(Duration interval) {
        return new SqlStoreProperties(url, interval, busyTimeout, readers, watchBufferSize, watchGapTimeout,
                compactionBatchSize, watchReadInterval);
    }

    public SqlStoreProperties withWatchBufferSize(int size) {
        return new SqlStoreProperties(url, pollInterval, busyTimeout, readers, size, watchGapTimeout,
                compactionBatchSize, watchReadInterval);
    }

    public SqlStoreProperties withWatchGapTimeout(Duration timeout) {
        return new SqlStoreProperties(url, pollInterval, busyTimeout, readers, watchBufferSize, timeout,
                compactionBatchSize, watchReadInterval);
    }

    public SqlStoreProperties withCompactionBatchSize(int size) {
        return new SqlStoreProperties(url, pollInterval, busyTimeout, readers, watchBufferSize, watchGapTimeout, size,
                watchReadInterval);
    }

    /** The backend the url names. */
    public StoreUrl storeUrl() {
        if (url == null) {
            throw new IllegalArgumentException("platform.api.storage.url is not set; accepted forms: "
                    + StoreUrl.ACCEPTED_FORMS);
        }
        return StoreUrl.parse(url);
    }

    /** The SQLite file the url names, made absolute. */
    public Path sqliteFile() {
        if (!(storeUrl() instanceof StoreUrl.Sqlite sqlite)) {
            throw new IllegalArgumentException(
                    "platform.api.storage.url must look like sqlite:/path/to/state.db, got " + url);
        }
        return sqlite.file();
    }
}
