package io.platform.api.storage.sql;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.platform.api.storage.StoreUrl;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.flywaydb.core.Flyway;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;

/**
 * A PostgreSQL database behind the store, shared by any number of API servers. Every write
 * transaction first takes one transaction-scoped advisory lock, so writes of all processes are
 * serialized as SQLite's are: a log row's identity value is drawn and committed before the next
 * writer draws one, so ids commit in order and watch sees no gaps but those of rolled-back
 * transactions. Writes run at READ COMMITTED, so the compare-and-swap reads the newest committed
 * row once the lock is held; reads run in REPEATABLE READ read-only transactions, one snapshot
 * each. Each write sends a {@code NOTIFY} on commit; a listening connection turns the other
 * processes' notifications into an immediate watch wake-up.
 */
final class PostgresDatabase implements SqlDatabase {

    private static final Logger log = LoggerFactory.getLogger(PostgresDatabase.class);
    /** The advisory lock all writers take (any constant; "pfst" in ASCII). */
    private static final long WRITE_LOCK_KEY = 0x70667374L;
    static final String CHANNEL = "platform_store_log";

    private final StoreUrl.Postgres url;
    private final HikariDataSource readers;
    private final HikariDataSource writer;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Duration busyTimeout;
    private final Duration pollInterval;
    private volatile boolean closed;
    private @Nullable Thread listener;
    private volatile @Nullable Connection listening;

    private PostgresDatabase(StoreUrl.Postgres url, HikariDataSource readers, HikariDataSource writer,
            Duration busyTimeout, Duration pollInterval) {
        this.url = url;
        this.readers = readers;
        this.writer = writer;
        this.busyTimeout = busyTimeout;
        this.pollInterval = pollInterval;
    }

    /** Connects and migrates the schema (Flyway serializes concurrent migrations with its own lock). */
    static PostgresDatabase open(StoreUrl.Postgres url, SqlStoreProperties properties) {
        Flyway.configure()
                .dataSource(url.jdbcUrl(), url.user(), url.password())
                .locations("classpath:db/migration/postgresql")
                .load()
                .migrate();
        HikariDataSource readers = pool(url, "sql-store-readers", properties.readers(), true);
        HikariDataSource writer;
        try {
            writer = pool(url, "sql-store-writer", 1, false);
        } catch (RuntimeException e) {
            readers.close();
            throw e;
        }
        return new PostgresDatabase(url, readers, writer, properties.busyTimeout(), properties.pollInterval());
    }

    private static HikariDataSource pool(StoreUrl.Postgres url, String name, int size, boolean reading) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(name);
        config.setJdbcUrl(url.jdbcUrl());
        config.setUsername(url.user());
        config.setPassword(url.password());
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(1);
        config.setAutoCommit(false);
        config.setReadOnly(reading);
        config.setTransactionIsolation(reading ? "TRANSACTION_REPEATABLE_READ" : "TRANSACTION_READ_COMMITTED");
        return new HikariDataSource(config);
    }

    @Override
    public String description() {
        return url.display();
    }

    @Override
    public <T> T read(Work<T> work) {
        try (Connection connection = readers.getConnection()) {
            try {
                return work.run(connection);
            } finally {
                connection.rollback();
            }
        } catch (SQLException e) {
            throw failure("cannot read the store", e);
        }
    }

    @Override
    public <T> T write(Work<T> work) {
        // one writer per process waits for the advisory lock; the others wait here, not on a connection
        writeLock.lock();
        try (Connection connection = writer.getConnection()) {
            boolean committed = false;
            try {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("SET LOCAL lock_timeout = " + busyTimeout.toMillis());
                }
                try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                    lock.setLong(1, WRITE_LOCK_KEY);
                    lock.execute();
                }
                T result = work.run(connection);
                try (Statement notify = connection.createStatement()) {
                    notify.execute("NOTIFY " + CHANNEL);
                }
                connection.commit();
                committed = true;
                return result;
            } finally {
                if (!committed) {
                    connection.rollback();
                }
            }
        } catch (SQLException e) {
            throw failure("cannot write the store", e);
        } finally {
            writeLock.unlock();
        }
    }

    /** Listens on its own connection, reconnecting every poll interval while the database is away. */
    @Override
    public synchronized void onCommitElsewhere(Runnable committed) {
        if (listener != null) {
            throw new IllegalStateException("already listening");
        }
        Thread thread = Thread.ofPlatform().daemon().name("sql-store-listener").unstarted(() -> listen(committed));
        listener = thread;
        thread.start();
    }

    private void listen(Runnable committed) {
        boolean failing = false;
        while (!closed) {
            try (Connection connection = listenerConnection()) {
                listening = connection;
                if (closed) {
                    return;
                }
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + CHANNEL);
                }
                if (failing) {
                    log.info("watch hears {} notifications again", url.display());
                    failing = false;
                }
                // a commit while not listening is found by the tailer's poll, and by this wake-up
                committed.run();
                PGConnection notifications = connection.unwrap(PGConnection.class);
                while (!closed) {
                    PGNotification[] received =
                            notifications.getNotifications(Math.toIntExact(pollInterval.toMillis()));
                    if (received != null && received.length > 0) {
                        committed.run();
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (closed) {
                    return;
                }
                if (!failing) {
                    log.warn("watch cannot listen for {} notifications, polling only until it can: {}",
                            url.display(), e.getMessage());
                    failing = true;
                }
                try {
                    Thread.sleep(pollInterval);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    private Connection listenerConnection() throws SQLException {
        Properties properties = new Properties();
        if (url.user() != null) {
            properties.setProperty("user", url.user());
        }
        if (url.password() != null) {
            properties.setProperty("password", url.password());
        }
        return DriverManager.getConnection(url.jdbcUrl(), properties);
    }

    @Override
    public void close() {
        closed = true;
        Thread thread;
        synchronized (this) {
            thread = listener;
        }
        if (thread != null) {
            // closing the connection ends a wait for notifications at once
            Connection connection = listening;
            if (connection != null) {
                try {
                    connection.close();
                } catch (SQLException e) {
                    log.debug("closing the listening connection failed: {}", e.getMessage());
                }
            }
            // and interrupting ends a wait to reconnect
            thread.interrupt();
            try {
                thread.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        writeLock.lock();
        try {
            readers.close();
            writer.close();
        } finally {
            writeLock.unlock();
        }
    }

    private DataAccessResourceFailureException failure(String message, SQLException e) {
        return new DataAccessResourceFailureException(message + " " + url.display() + ": " + e.getMessage(), e);
    }
}
