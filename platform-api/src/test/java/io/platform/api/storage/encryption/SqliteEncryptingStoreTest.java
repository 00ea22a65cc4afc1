package io.platform.api.storage.encryption;

import io.platform.api.storage.Store;
import io.platform.api.storage.sql.SqlStore;
import io.platform.api.storage.sql.SqlStoreProperties;
import java.nio.file.Path;
import java.time.Duration;

class SqliteEncryptingStoreTest extends EncryptingStoreTest {

    @Override
    Store openRaw(Path dir) {
        return SqlStore.open(SqlStoreProperties.sqlite(dir.resolve("state.db")).withPollInterval(Duration.ofMillis(100)));
    }
}
