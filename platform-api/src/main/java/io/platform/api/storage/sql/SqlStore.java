package io.platform.api.storage.sql;

import io.platform.api.storage.CompactedException;
import io.platform.api.storage.KeyExistsException;
import io.platform.api.storage.KeyNotFoundException;
import io.platform.api.storage.KeyValue;
import io.platform.api.storage.ListResult;
import io.platform.api.storage.RevisionConflictException;
import io.platform.api.storage.Store;
import io.platform.api.storage.WatchEvent;
import io.platform.api.storage.StoreUrl;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The {@link Store} on one append-only SQL log table, the kine design, in SQLite or PostgreSQL
 * ({@link SqlDatabase} holds what differs): every write appends a row whose id is the new
 * revision; the newest row of a key is its value, a tombstone row its deletion. Reading at a
 * revision takes each key's newest row at or below it. Writes are serialized (SQLite has one
 * writer; on PostgreSQL every writer takes one advisory lock) and durable when they return; reads
 * run beside them. Each
 * write checks the key's newest row and appends inside one transaction holding the write lock;
 * {@code UNIQUE(name, prev_revision)} is the backstop should two writers ever replace the same row.
 * Update and delete with expected revision 0 replace whatever revision is current. All methods
 * but {@code watch} block on the database: call them off event-loop threads.
 *
 * <p>Watch: a watcher whose subscriber is slower than the writers reads the log at its own pace
 * instead of buffering without bound (at most {@code watchBufferSize} events are held per
 * watcher). It ends with {@link CompactedException} (the API answers 410 Expired, and clients
 * re-list) only when compaction removed revisions it has not read yet, the same contract as a
 * watch started at a compacted revision. Events are delivered on Reactor's bounded-elastic threads.
 */
public final class SqlStore implements Store {

    private static final Logger log = LoggerFactory.getLogger(SqlStore.class);

    private final SqlDatabase database;
    private final LogTailer tailer;
    private final SqlStoreProperties properties;
    private final Scheduler scheduler = Schedulers.boundedElastic();
    private volatile boolean closed;

    private SqlStore(SqlDatabase database, SqlStoreProperties properties, long revision) {
        this.database = database;
        this.properties = properties;
        this.tailer = new LogTailer(database, revision, properties.pollInterval(), properties.watchGapTimeout(),
                properties.watchReadInterval());
    }

    /**
     * Opens the store the url of {@code properties} names ({@code sqlite:} or {@code postgres://}),
     * creating and migrating it when needed.
     */
    public static SqlStore open(SqlStoreProperties properties) {
        SqlDatabase database = switch (properties.storeUrl()) {
            case StoreUrl.Sqlite sqlite -> SqliteDatabase.open(sqlite.file(), properties);
            case StoreUrl.Postgres postgres -> PostgresDatabase.open(postgres, properties);
            case StoreUrl.Etcd etcd -> throw new IllegalArgumentException(
                    "the SQL store cannot open " + etcd.display() + "; use the etcd store");
        };
        Revisions revisions;
        try {
            revisions = database.read(connection ->
                    new Revisions(LogTable.currentRevision(connection), LogTable.compactedRevision(connection)));
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
        SqlStore store = new SqlStore(database, properties, revisions.current());
        store.tailer.start();
        database.onCommitElsewhere(store.tailer::signal);
        log.info("Opened {} store at revision {} (compacted to {})", database.description(), revisions.current(),
                revisions.compacted());
        return store;
    }

    private record Revisions(long current, long compacted) {}

    @Override
    public Optional<KeyValue> get(String key) {
        checkOpen();
        LogRow row = database.read(connection -> LogTable.latest(connection, key));
        return row == null || row.deleted() ? Optional.empty() : Optional.of(row.keyValue());
    }

    @Override
    public ListResult list(String prefix, long revision, int limit, @Nullable String continueAfterKey) {
        checkOpen();
        if (revision < 0 || limit < 0) {
            throw new IllegalArgumentException("revision and limit must not be negative");
        }
        return database.read(connection -> {
            long compacted = LogTable.compactedRevision(connection);
            if (revision != 0 && revision < compacted) {
                throw new CompactedException(revision, compacted);
            }
            long current = LogTable.currentRevision(connection);
            // a revision not reached yet reads the latest state, and says so
            long at = revision == 0 ? current : Math.min(revision, current);
            List<LogRow> rows = LogTable.liveAt(connection, KeyRange.of(prefix), at, continueAfterKey,
                    limit == 0 ? 0 : limit + 1);
            boolean more = limit > 0 && rows.size() > limit;
            List<KeyValue> items = (more ? rows.subList(0, limit) : rows).stream().map(LogRow::keyValue).toList();
            return new ListResult(items, at, more ? items.getLast().key() : null);
        });
    }

    @Override
    public long count(String prefix) {
        checkOpen();
        return database.read(connection -> LogTable.countLive(connection, KeyRange.of(prefix)));
    }

    @Override
    public KeyValue create(String key, byte[] value) {
        checkOpen();
        KeyValue created = database.write(connection -> {
            LogRow latest = LogTable.latest(connection, key);
            if (latest != null && !latest.deleted()) {
                throw new KeyExistsException(key);
            }
            long prev = latest == null ? 0 : latest.id();
            long revision = LogTable.append(connection, key, true, false, 0, prev, value, null);
            return new KeyValue(key, value, revision, revision);
        });
        tailer.signal();
        return created;
    }

    @Override
    public KeyValue update(String key, long expectedRevision, byte[] value) {
        checkOpen();
        KeyValue updated = database.write(connection -> {
            LogRow latest = current(connection, key, expectedRevision);
            long revision = LogTable.append(connection, key, false, false, latest.keyCreateRevision(), latest.id(),
                    value, latest.value());
            return new KeyValue(key, value, latest.keyCreateRevision(), revision);
        });
        tailer.signal();
        return updated;
    }

    @Override
    public KeyValue delete(String key, long expectedRevision) {
        checkOpen();
        KeyValue deleted = database.write(connection -> {
            LogRow latest = current(connection, key, expectedRevision);
            long revision = LogTable.append(connection, key, false, true, latest.keyCreateRevision(), latest.id(),
                    null, latest.value());
            return new KeyValue(key, latest.keyValue().value(), latest.keyCreateRevision(), revision);
        });
        tailer.signal();
        return deleted;
    }

    /** The key's newest row, when it exists and is at {@code expectedRevision} (0 = any). */
    private static LogRow current(Connection connection, String key, long expectedRevision) throws SQLException {
        LogRow latest = LogTable.latest(connection, key);
        if (latest == null || latest.deleted()) {
            throw new KeyNotFoundException(key);
        }
        if (expectedRevision != 0 && latest.id() != expectedRevision) {
            throw new RevisionConflictException(key, expectedRevision, latest.id());
        }
        return latest;
    }

    @Override
    public Flux<WatchEvent> watch(String prefix, long afterRevision) {
        if (afterRevision < 0) {
            throw new IllegalArgumentException("afterRevision must not be negative, got " + afterRevision);
        }
        KeyRange range = KeyRange.of(prefix);
        return Flux.create(sink -> {
            try {
                checkOpen();
                long compacted = compactedRevision();
                if (afterRevision < compacted) {
                    sink.error(new CompactedException(afterRevision, compacted));
                    return;
                }
            } catch (RuntimeException e) {
                sink.error(e);
                return;
            }
            LogWatcher watcher =
                    new LogWatcher(range, afterRevision, properties.watchBufferSize(), tailer, sink, scheduler);
            tailer.add(watcher);
            sink.onDispose(watcher::dispose);
            sink.onRequest(requested -> watcher.drain());
        });
    }

    /**
     * Compacts in two steps, so no reader ever sees half-removed history: first the compacted
     * revision rises (reads below it fail from then on), then superseded rows and tombstones at or
     * below it go in batches of {@code compactionBatchSize} revisions, each its own transaction so
     * writers interleave. A sweep cut short (a crash) is finished by the next compaction.
     */
    @Override
    public void compact(long revision) {
        checkOpen();
        long current = currentRevision();
        if (revision > current) {
            throw new IllegalArgumentException(
                    "cannot compact to revision " + revision + ": the store is at revision " + current);
        }
        if (revision <= compactedRevision()) {
            return;
        }
        awaitWatchDispatched(revision);
        boolean raised = database.write(connection -> LogTable.raiseCompactedRevision(connection, revision));
        long removed = 0;
        Sweep sweep;
        do {
            sweep = database.write(connection -> {
                long from = LogTable.sweptRevision(connection);
                if (from >= revision) {
                    return new Sweep(from, 0);
                }
                long upTo = Math.min(revision, from + properties.compactionBatchSize());
                return new Sweep(upTo, LogTable.sweep(connection, from, upTo));
            });
            removed += sweep.removed();
        } while (sweep.upTo() < revision);
        if (raised || removed > 0) {
            // the compaction's one info line is its caller's (the scheduled HistoryCompactor)
            log.debug("Compacted {} store to revision {}: {} rows of history removed", database.description(),
                    revision, removed);
        }
    }

    private record Sweep(long upTo, int removed) {}

    /** Lets watch read everything up to the compaction first, so live watchers lose nothing. */
    private void awaitWatchDispatched(long revision) {
        Duration timeout = properties.pollInterval().multipliedBy(10);
        try {
            if (!tailer.awaitDispatched(revision, timeout)) {
                log.warn("watch has not read up to revision {} within {}; compacting anyway", revision, timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while compacting the store", e);
        }
    }

    @Override
    public long currentRevision() {
        checkOpen();
        return database.read(LogTable::currentRevision);
    }

    @Override
    public long compactedRevision() {
        checkOpen();
        return database.read(LogTable::compactedRevision);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        tailer.close();
        database.close();
        log.info("Closed {} store", database.description());
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the " + database.description() + " store is closed");
        }
    }
}
