package io.platform.api.storage.sql;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.platform.api.storage.KeyValue;
import io.platform.api.storage.WatchEvent;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;

/** What is particular to the SQL log on SQLite; what every backend does is in the conformance suite. */
class SqlStoreTest {

    @TempDir
    Path dir;

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : toClose.reversed()) {
            closeable.close();
        }
    }

    @Test
    void anEmptyLogIsAtRevisionZeroAndTheFirstWriteIsOne() {
        SqlStore store = open(settings());
        assertThat(store.currentRevision()).isZero();
        assertThat(store.compactedRevision()).isZero();
        assertThat(store.create("/k", bytes("v")).modRevision()).isEqualTo(1);
    }

    @Test
    void compactionDeletesSupersededRowsAndTombstonesInBatches() throws SQLException {
        SqlStore store = open(settings().withCompactionBatchSize(3));
        KeyValue kept = store.create("/c/kept", bytes("0"));
        for (int i = 1; i <= 10; i++) {
            kept = store.update("/c/kept", kept.modRevision(), bytes(String.valueOf(i)));
        }
        store.create("/c/gone", bytes("x"));
        store.delete("/c/gone", 0);
        store.create("/c/untouched", bytes("u"));
        long compactAt = store.currentRevision();
        store.update("/c/kept", kept.modRevision(), bytes("after"));
        assertThat(rowCount()).isEqualTo(15);

        store.compact(compactAt);

        // per key the newest row at or below the compaction survives, and everything above it
        assertThat(rowCount()).isEqualTo(3);
        assertThat(sweptRevision()).isEqualTo(compactAt);
    }

    @Test
    void watchWaitsForAMissingRevisionAndSkipsItOnlyAfterTheGapTimeout() throws SQLException {
        SqlStore store = open(settings().withWatchGapTimeout(Duration.ofSeconds(1)));
        store.create("/g/a", bytes("a"));
        List<WatchEvent> events = new CopyOnWriteArrayList<>();
        Disposable watch = store.watch("/g/", 1).subscribe(events::add);
        toClose.add(watch::dispose);

        // another writer's revision 3 commits before its revision 2
        insertRow(3, "/g/c");
        insertRow(2, "/g/b");
        await().untilAsserted(() -> assertThat(events).extracting(WatchEvent::revision).containsExactly(2L, 3L));

        // revision 4 never commits: watch moves on after the gap timeout
        long before = System.nanoTime();
        insertRow(5, "/g/e");
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(events).extracting(WatchEvent::revision).contains(5L));
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isGreaterThanOrEqualTo(Duration.ofMillis(900));

        KeyValue next = store.create("/g/f", bytes("f"));
        await().untilAsserted(() -> assertThat(events).extracting(WatchEvent::revision)
                .containsExactly(2L, 3L, 5L, next.modRevision()));
    }

    @Test
    void theFileIsInWalModeWithItsFoldersCreated() throws SQLException {
        open(settings()).create("/k", bytes("v"));
        assertThat(dir.resolve("nested/state.db")).exists();
        assertThat(journalMode()).isEqualTo("wal");
    }

    @Test
    void refusesAnEtcdUrl() {
        assertThatThrownBy(() -> SqlStore.open(SqlStoreProperties.forUrl("etcd://127.0.0.1:2379")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("use the etcd store");
    }

    private SqlStoreProperties settings() {
        return SqlStoreProperties.sqlite(dir.resolve("nested/state.db")).withPollInterval(Duration.ofMillis(50));
    }

    private SqlStore open(SqlStoreProperties settings) {
        SqlStore store = SqlStore.open(settings);
        toClose.add(store);
        return store;
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("nested/state.db"));
    }

    private long rowCount() throws SQLException {
        return queryLong("SELECT COUNT(*) FROM store_log");
    }

    private long sweptRevision() throws SQLException {
        return queryLong("SELECT swept_revision FROM store_compaction");
    }

    private long queryLong(String sql) throws SQLException {
        try (Connection connection = connect(); ResultSet rs = connection.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private String journalMode() throws SQLException {
        try (Connection connection = connect();
                ResultSet rs = connection.createStatement().executeQuery("PRAGMA journal_mode")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** Appends a create row with a chosen id, as another writer would. */
    private void insertRow(long id, String name) throws SQLException {
        try (Connection connection = connect();
                PreparedStatement insert = connection.prepareStatement("INSERT INTO store_log"
                        + " (id, name, created, deleted, create_revision, prev_revision, value)"
                        + " VALUES (?, ?, 1, 0, 0, 0, ?)")) {
            connection.createStatement().execute("PRAGMA busy_timeout = 5000");
            insert.setLong(1, id);
            insert.setString(2, name);
            insert.setBytes(3, bytes(name));
            insert.executeUpdate();
        }
    }

    static byte[] bytes(String text) {
        return text.getBytes(UTF_8);
    }
}
