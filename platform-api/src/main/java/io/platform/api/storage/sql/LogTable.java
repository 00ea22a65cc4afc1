package io.platform.api.storage.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The SQL statements on {@code store_log} and {@code store_compaction}, each on a given connection, prepared once
 * per connection ({@link PreparedStatements}).
 */
final class LogTable {

    private static final String LATEST =
            "SELECT " + LogRow.COLUMNS + " FROM store_log WHERE name = ? ORDER BY id DESC LIMIT 1";
    private static final String APPEND =
            "INSERT INTO store_log (name, created, deleted, create_revision, prev_revision, value, old_value)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id";
    private static final String CURRENT_REVISION =
            "SELECT (SELECT COALESCE(MAX(id), 0) FROM store_log), revision FROM store_compaction WHERE id = 1";
    private static final String COMPACTED_REVISION = "SELECT revision FROM store_compaction WHERE id = 1";
    private static final String RAISE_COMPACTED_REVISION =
            "UPDATE store_compaction SET revision = ? WHERE id = 1 AND revision < ?";
    private static final String SWEPT_REVISION = "SELECT swept_revision FROM store_compaction WHERE id = 1";
    private static final String SWEEP_REPLACED = "DELETE FROM store_log WHERE id IN"
            + " (SELECT prev_revision FROM store_log WHERE id > ? AND id <= ? AND prev_revision > 0)";
    private static final String SWEEP_TOMBSTONES = "DELETE FROM store_log WHERE id > ? AND id <= ? AND deleted = 1";
    private static final String SWEEP_PROGRESS = "UPDATE store_compaction SET swept_revision = ? WHERE id = 1";

    private LogTable() {}

    /** The newest row of a name (a tombstone when the key was deleted), or null when never written. */
    static @Nullable LogRow latest(Connection connection, String name) throws SQLException {
        PreparedStatement statement = PreparedStatements.of(connection, LATEST);
        statement.setString(1, name);
        try (ResultSet rs = statement.executeQuery()) {
            return rs.next() ? LogRow.read(rs) : null;
        }
    }

    /** Appends a row and returns its id, the new revision. */
    static long append(Connection connection, String name, boolean created, boolean deleted, long createRevision,
            long prevRevision, byte @Nullable [] value, byte @Nullable [] oldValue) throws SQLException {
        PreparedStatement statement = PreparedStatements.of(connection, APPEND);
        statement.setString(1, name);
        statement.setInt(2, created ? 1 : 0);
        statement.setInt(3, deleted ? 1 : 0);
        statement.setLong(4, createRevision);
        statement.setLong(5, prevRevision);
        statement.setBytes(6, value);
        statement.setBytes(7, oldValue);
        try (ResultSet rs = statement.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("INSERT ... RETURNING id returned no row");
            }
            return rs.getLong(1);
        }
    }

    /**
     * The latest revision: the newest row, or the compacted revision when compaction removed the
     * tombstone that was the newest row (ids are never reused, so this never goes back).
     */
    static long currentRevision(Connection connection) throws SQLException {
        try (ResultSet rs = PreparedStatements.of(connection, CURRENT_REVISION).executeQuery()) {
            rs.next();
            return Math.max(rs.getLong(1), rs.getLong(2));
        }
    }

    static long compactedRevision(Connection connection) throws SQLException {
        return single(connection, COMPACTED_REVISION);
    }

    /**
     * Live keys in the range as of {@code revision}, in key order, after {@code afterKey} when given,
     * at most {@code limit} rows (0 = all): per name the newest row at or below the revision, unless
     * it is a tombstone.
     */
    static List<LogRow> liveAt(Connection connection, KeyRange range, long revision, @Nullable String afterKey,
            int limit) throws SQLException {
        String sql = "SELECT " + prefixed("l", LogRow.COLUMNS) + " FROM store_log l JOIN (SELECT MAX(id) AS id"
                + " FROM store_log WHERE " + range.condition("name") + (afterKey == null ? "" : " AND name > ?")
                + " AND id <= ? GROUP BY name) m ON l.id = m.id WHERE l.deleted = 0 ORDER BY l.name"
                + (limit > 0 ? " LIMIT ?" : "");
        PreparedStatement statement = PreparedStatements.of(connection, sql);
        int index = range.bind(statement, 1);
        if (afterKey != null) {
            statement.setString(index++, afterKey);
        }
        statement.setLong(index++, revision);
        if (limit > 0) {
            statement.setInt(index, limit);
        }
        return rows(statement);
    }

    static long countLive(Connection connection, KeyRange range) throws SQLException {
        PreparedStatement statement = PreparedStatements.of(connection, "SELECT COUNT(*) FROM store_log l JOIN"
                + " (SELECT MAX(id) AS id FROM store_log WHERE " + range.condition("name")
                + " GROUP BY name) m ON l.id = m.id WHERE l.deleted = 0");
        range.bind(statement, 1);
        try (ResultSet rs = statement.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Rows with {@code after < id <= upTo} in the range (null = every name), in revision order. */
    static List<LogRow> changes(Connection connection, @Nullable KeyRange range, long after, long upTo, int limit)
            throws SQLException {
        String sql = "SELECT " + LogRow.COLUMNS + " FROM store_log WHERE id > ? AND id <= ?"
                + (range == null ? "" : " AND " + range.condition("name")) + " ORDER BY id LIMIT ?";
        PreparedStatement statement = PreparedStatements.of(connection, sql);
        statement.setLong(1, after);
        statement.setLong(2, upTo);
        int index = range == null ? 3 : range.bind(statement, 3);
        statement.setInt(index, limit);
        return rows(statement);
    }

    /** Raises the compacted revision (never lowers it); true when it changed. */
    static boolean raiseCompactedRevision(Connection connection, long revision) throws SQLException {
        PreparedStatement statement = PreparedStatements.of(connection, RAISE_COMPACTED_REVISION);
        statement.setLong(1, revision);
        statement.setLong(2, revision);
        return statement.executeUpdate() == 1;
    }

    static long sweptRevision(Connection connection) throws SQLException {
        return single(connection, SWEPT_REVISION);
    }

    /**
     * Deletes the history that rows with {@code after < id <= upTo} made obsolete: the rows they
     * replaced, and the tombstones themselves (a deleted key needs no row to read as absent).
     * Returns how many rows went.
     */
    static int sweep(Connection connection, long after, long upTo) throws SQLException {
        PreparedStatement replaced = PreparedStatements.of(connection, SWEEP_REPLACED);
        replaced.setLong(1, after);
        replaced.setLong(2, upTo);
        int removed = replaced.executeUpdate();
        PreparedStatement tombstones = PreparedStatements.of(connection, SWEEP_TOMBSTONES);
        tombstones.setLong(1, after);
        tombstones.setLong(2, upTo);
        removed += tombstones.executeUpdate();
        PreparedStatement progress = PreparedStatements.of(connection, SWEEP_PROGRESS);
        progress.setLong(1, upTo);
        progress.executeUpdate();
        return removed;
    }

    private static long single(Connection connection, String sql) throws SQLException {
        try (ResultSet rs = PreparedStatements.of(connection, sql).executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<LogRow> rows(PreparedStatement statement) throws SQLException {
        List<LogRow> rows = new ArrayList<>();
        try (ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                rows.add(LogRow.read(rs));
            }
        }
        return rows;
    }

    private static String prefixed(String alias, String columns) {
        return alias + "." + columns.replace(", ", ", " + alias + ".");
    }
}
