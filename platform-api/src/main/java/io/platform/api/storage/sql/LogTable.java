package io.platform.api.storage.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The SQL statements on {@code store_log} and {@code store_compaction}, each on a given connection. */
final class LogTable {

    private LogTable() {}

    /** The newest row of a name (a tombstone when the key was deleted), or null when never written. */
    static @Nullable LogRow latest(Connection connection, String name) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT " + LogRow.COLUMNS + " FROM store_log WHERE name = ? ORDER BY id DESC LIMIT 1")) {
            statement.setString(1, name);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? LogRow.read(rs) : null;
            }
        }
    }

    /** Appends a row and returns its id, the new revision. */
    static long append(Connection connection, String name, boolean created, boolean deleted, long createRevision,
            long prevRevision, byte @Nullable [] value, byte @Nullable [] oldValue) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "INSERT INTO store_log (name, created, deleted, create_revision, prev_revision, value, old_value)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id")) {
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
    }

    /**
     * The latest revision: the newest row, or the compacted revision when compaction removed the
     * tombstone that was the newest row (ids are never reused, so this never goes back).
     */
    static long currentRevision(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT (SELECT COALESCE(MAX(id), 0) FROM store_log), revision FROM store_compaction WHERE id = 1");
                ResultSet rs = statement.executeQuery()) {
            rs.next();
            return Math.max(rs.getLong(1), rs.getLong(2));
        }
    }

    static long compactedRevision(Connection connection) throws SQLException {
        try (PreparedStatement statement =
                        connection.prepareStatement("SELECT revision FROM store_compaction WHERE id = 1");
                ResultSet rs = statement.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
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
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
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
    }

    static long countLive(Connection connection, KeyRange range) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT COUNT(*) FROM store_log l JOIN"
                + " (SELECT MAX(id) AS id FROM store_log WHERE " + range.condition("name")
                + " GROUP BY name) m ON l.id = m.id WHERE l.deleted = 0")) {
            range.bind(statement, 1);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Rows with {@code after < id <= upTo} in the range (null = every name), in revision order. */
    static List<LogRow> changes(Connection connection, @Nullable KeyRange range, long after, long upTo, int limit)
            throws SQLException {
        String sql = "SELECT " + LogRow.COLUMNS + " FROM store_log WHERE id > ? AND id <= ?"
                + (range == null ? "" : " AND " + range.condition("name")) + " ORDER BY id LIMIT ?";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, after);
            statement.setLong(2, upTo);
            int index = range == null ? 3 : range.bind(statement, 3);
            statement.setInt(index, limit);
            return rows(statement);
        }
    }

    /** Raises the compacted revision (never lowers it); true when it changed. */
    static boolean raiseCompactedRevision(Connection connection, long revision) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "UPDATE store_compaction SET revision = ? WHERE id = 1 AND revision < ?")) {
            statement.setLong(1, revision);
            statement.setLong(2, revision);
            return statement.executeUpdate() == 1;
        }
    }

    static long sweptRevision(Connection connection) throws SQLException {
        try (PreparedStatement statement =
                        connection.prepareStatement("SELECT swept_revision FROM store_compaction WHERE id = 1");
                ResultSet rs = statement.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Deletes the history that rows with {@code after < id <= upTo} made obsolete: the rows they
     * replaced, and the tombstones themselves (a deleted key needs no row to read as absent).
     * Returns how many rows went.
     */
    static int sweep(Connection connection, long after, long upTo) throws SQLException {
        int removed;
        try (PreparedStatement replaced = connection.prepareStatement("DELETE FROM store_log WHERE id IN"
                + " (SELECT prev_revision FROM store_log WHERE id > ? AND id <= ? AND prev_revision > 0)")) {
            replaced.setLong(1, after);
            replaced.setLong(2, upTo);
            removed = replaced.executeUpdate();
        }
        try (PreparedStatement tombstones =
                connection.prepareStatement("DELETE FROM store_log WHERE id > ? AND id <= ? AND deleted = 1")) {
            tombstones.setLong(1, after);
            tombstones.setLong(2, upTo);
            removed += tombstones.executeUpdate();
        }
        try (PreparedStatement progress =
                connection.prepareStatement("UPDATE store_compaction SET swept_revision = ? WHERE id = 1")) {
            progress.setLong(1, upTo);
            progress.executeUpdate();
        }
        return removed;
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
