package io.platform.api.storage.sql;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.locks.ReentrantLock;
import org.flywaydb.core.Flyway;
import org.springframework.dao.DataAccessResourceFailureException;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The SQLite file behind the store: one writer connection, since SQLite has one writer at a time,
 * and a small pool of reader connections that WAL mode lets run beside it. Every write is a
 * {@code BEGIN IMMEDIATE} transaction, so it holds the file's write lock from its first read and a
 * compare-and-swap cannot race another process; {@code synchronous=FULL} makes a commit durable
 * before it is acknowledged.
 */
final class SqliteDatabase implements SqlDatabase {

    private final Path file;
    private final Connection writer;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final HikariDataSource readers;

    private SqliteDatabase(Path file, Connection writer, HikariDataSource readers) {
        this.file = file;
        this.writer = writer;
        this.readers = readers;
    }

    /** Opens (creating when missing) the file and its folders and migrates the schema. */
    static SqliteDatabase open(Path file, SqlStoreProperties properties) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the folder of the store " + file, e);
        }
        String url = "jdbc:sqlite:" + file;
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout(Math.toIntExact(properties.busyTimeout().toMillis()));

        SQLiteDataSource dataSource = new SQLiteDataSource(config);
        dataSource.setUrl(url);
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration/sqlite")
                .load()
                .migrate();

        Connection writer;
        try {
            // autocommit on: the driver's own transaction mode would BEGIN again right after each
            // COMMIT and so hold the write lock between writes; this class issues BEGIN IMMEDIATE itself
            writer = dataSource.getConnection();
        } catch (SQLException e) {
            throw failure("cannot open the store " + file, e);
        }
        HikariConfig pool = new HikariConfig();
        pool.setPoolName("sql-store-readers");
        pool.setDataSource(dataSource);
        pool.setMaximumPoolSize(properties.readers());
        pool.setMinimumIdle(1);
        // a deferred transaction per read: its snapshot starts at the first SELECT
        pool.setAutoCommit(false);
        return new SqliteDatabase(file, writer, new HikariDataSource(pool));
    }

    @Override
    public String description() {
        return "SQLite " + file;
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
            throw failure("cannot read the store " + file, e);
        }
    }

    @Override
    public <T> T write(Work<T> work) {
        writeLock.lock();
        try {
            execute("BEGIN IMMEDIATE");
            boolean committed = false;
            try {
                T result = work.run(writer);
                execute("COMMIT");
                committed = true;
                return result;
            } finally {
                if (!committed) {
                    execute("ROLLBACK");
                }
            }
        } catch (SQLException e) {
            throw failure("cannot write the store " + file, e);
        } finally {
            writeLock.unlock();
        }
    }

    private void execute(String sql) throws SQLException {
        PreparedStatements.of(writer, sql).execute();
    }

    /** SQLite cannot tell: other processes' commits on the same file are found by polling. */
    @Override
    public void onCommitElsewhere(Runnable committed) {}

    @Override
    public void close() {
        writeLock.lock();
        try {
            readers.close();
            writer.close();
        } catch (SQLException e) {
            throw failure("cannot close the store " + file, e);
        } finally {
            writeLock.unlock();
        }
    }

    private static DataAccessResourceFailureException failure(String message, SQLException e) {
        return new DataAccessResourceFailureException(message + ": " + e.getMessage(), e);
    }
}
