package io.platform.api.storage.sql;

import io.platform.api.storage.KeyValue;
import io.platform.api.storage.WatchEvent;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.jspecify.annotations.Nullable;

/** One row of {@code store_log}: one change of one key; {@code id} is its revision. */
record LogRow(long id, String name, boolean created, boolean deleted, long createRevision, long prevRevision,
        byte @Nullable [] value, byte @Nullable [] oldValue) {

    static final String COLUMNS = "id, name, created, deleted, create_revision, prev_revision, value, old_value";

    static LogRow read(ResultSet rs) throws SQLException {
        return new LogRow(rs.getLong(1), rs.getString(2), rs.getInt(3) != 0, rs.getInt(4) != 0, rs.getLong(5),
                rs.getLong(6), rs.getBytes(7), rs.getBytes(8));
    }

    /** The creating row stores 0: its own id is the create revision. */
    long keyCreateRevision() {
        return created ? id : createRevision;
    }

    /** The key as this row left it; for a tombstone, the deleted value at the deletion's revision. */
    KeyValue keyValue() {
        return new KeyValue(name, bytes(deleted ? oldValue : value), keyCreateRevision(), id);
    }

    /** The key as it was before this row; only for rows that replace one. */
    KeyValue previousKeyValue() {
        return new KeyValue(name, bytes(oldValue), keyCreateRevision(), prevRevision);
    }

    WatchEvent event() {
        if (created) {
            return new WatchEvent(WatchEvent.Type.CREATED, keyValue(), null);
        }
        return new WatchEvent(deleted ? WatchEvent.Type.DELETED : WatchEvent.Type.UPDATED, keyValue(),
                previousKeyValue());
    }

    private static byte[] bytes(byte @Nullable [] value) {
        return value == null ? new byte[0] : value;
    }
}
