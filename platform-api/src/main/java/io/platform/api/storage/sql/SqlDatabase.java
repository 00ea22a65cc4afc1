package io.platform.api.storage.sql;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The database behind a {@link SqlStore}: what differs between SQLite and PostgreSQL is how
 * connections are opened, how writes are serialized and how other processes' commits are noticed;
 * the statements ({@link LogTable}) are the same.
 */
interface SqlDatabase extends AutoCloseable {

    /** Work on a connection inside a transaction. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /** The backend and where it is, for log lines and errors. */
    String description();

    /** Runs {@code work} in one read transaction, so every query in it sees the same snapshot. */
    <T> T read(Work<T> work);

    /**
     * Runs {@code work} in one write transaction, committed (durably) before this returns. Writes
     * of every process on the database are serialized: ids are handed out in commit order.
     */
    <T> T write(Work<T> work);

    /**
     * Calls {@code committed} whenever another process may have committed rows, when the database
     * can say so; otherwise watch finds them at its next poll.
     */
    void onCommitElsewhere(Runnable committed);

    @Override
    void close();
}
