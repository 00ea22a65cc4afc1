package io.platform.api.storage.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The store's statements, prepared once per database connection and reused: SQLite compiles a statement anew on
 * every {@code prepareStatement}, which cost a tenth of the API server's CPU in the write benchmark. Statements are
 * kept per physical connection (a pooled connection's proxy is unwrapped), closed with it, and forgotten when it is
 * collected. A connection serves one thread at a time, so a connection's statements need no lock of their own;
 * callers close the result sets they open, never the statements.
 */
final class PreparedStatements {

    /** More distinct statements than the store has means the SQL is not parameterised: stop caching then. */
    private static final int MAX_PER_CONNECTION = 64;

    private static final Map<Connection, Map<String, PreparedStatement>> BY_CONNECTION =
            Collections.synchronizedMap(new WeakHashMap<>());

    private PreparedStatements() {}

    static PreparedStatement of(Connection connection, String sql) throws SQLException {
        Connection physical = connection.unwrap(Connection.class);
        Map<String, PreparedStatement> statements = BY_CONNECTION.computeIfAbsent(physical, c -> new HashMap<>());
        PreparedStatement statement = statements.get(sql);
        if (statement == null || statement.isClosed()) {
            statement = physical.prepareStatement(sql);
            if (statements.size() < MAX_PER_CONNECTION) {
                statements.put(sql, statement);
            }
        } else {
            statement.clearParameters();
        }
        return statement;
    }
}
