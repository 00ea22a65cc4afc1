package io.platform.api.storage.sql;

import io.platform.api.storage.Store;
import io.platform.api.storage.StoreConformanceTest;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.io.TempDir;

/** The Store conformance suite on SQLite: a new file per test. */
class SqliteStoreConformanceTest extends StoreConformanceTest {

    @TempDir
    Path dir;

    @Override
    protected Store openStore() {
        return SqlStore.open(SqlStoreProperties.sqlite(dir.resolve("state.db"))
                .withPollInterval(Duration.ofMillis(50))
                .withWatchBufferSize(watchBufferSize()));
    }
}
