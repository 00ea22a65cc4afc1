package io.platform.api.storage.sql;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.jspecify.annotations.Nullable;

/**
 * The keys under a prefix as a half-open range {@code [prefix, end)} that an index can scan.
 * SQLite compares TEXT bytewise in UTF-8, and PostgreSQL's {@code name} column is {@code COLLATE "C"}
 * (bytewise too); both order like code points, so the end is the prefix with its last code point
 * raised by one.
 */
record KeyRange(String prefix, @Nullable String end) {

    static KeyRange of(String prefix) {
        return new KeyRange(prefix, successor(prefix));
    }

    boolean contains(String key) {
        return key.startsWith(prefix);
    }

    /** SQL conditions on {@code column} for this range; bind with {@link #bind}. */
    String condition(String column) {
        return end == null ? column + " >= ?" : column + " >= ? AND " + column + " < ?";
    }

    int bind(PreparedStatement statement, int index) throws SQLException {
        int next = index;
        statement.setString(next++, prefix);
        if (end != null) {
            statement.setString(next++, end);
        }
        return next;
    }

    private static @Nullable String successor(String prefix) {
        int[] codePoints = prefix.codePoints().toArray();
        for (int i = codePoints.length - 1; i >= 0; i--) {
            if (codePoints[i] < Character.MAX_CODE_POINT) {
                int raised = codePoints[i] + 1;
                codePoints[i] = raised == Character.MIN_SURROGATE ? Character.MAX_SURROGATE + 1 : raised;
                return new String(codePoints, 0, i + 1);
            }
        }
        return null;
    }
}
