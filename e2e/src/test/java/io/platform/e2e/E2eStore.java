package io.platform.e2e;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.platform.api.testing.EtcdProcess;
import io.platform.api.testing.PostgresProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * The store an e2e suite runs the platform on, chosen by the system property {@value #PROPERTY} or
 * the environment variable {@value #ENVIRONMENT}: {@code sqlite} (the default, the data dir's own
 * {@code state.db}), {@code etcd} (one member) or {@code postgres} (a throwaway cluster), the last
 * two started here on loopback, which inside {@code e2e/run-tests.sh}'s network namespace is that
 * namespace's own {@code lo}. The fixtures skip the suite when etcd or PostgreSQL is not installed.
 * Close it after the platform has stopped, to stop the store and delete its files.
 */
final class E2eStore implements AutoCloseable {

    static final String PROPERTY = "platform.e2e.store";
    static final String ENVIRONMENT = "PLATFORM_E2E_STORE";

    enum Backend {
        SQLITE, ETCD, POSTGRES;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Backend backend;
    private final Path dataDir;
    private final @Nullable String url;
    private final @Nullable EtcdProcess etcd;
    private final @Nullable PostgresProcess postgres;

    private E2eStore(Backend backend, Path dataDir, @Nullable String url, @Nullable EtcdProcess etcd,
            @Nullable PostgresProcess postgres) {
        this.backend = backend;
        this.dataDir = dataDir;
        this.url = url;
        this.etcd = etcd;
        this.postgres = postgres;
    }

    /** The backend named by {@value #PROPERTY} or {@value #ENVIRONMENT}; SQLite when neither is set. */
    static Backend selected() {
        String named = System.getProperty(PROPERTY, System.getenv(ENVIRONMENT));
        if (named == null || named.isBlank()) {
            return Backend.SQLITE;
        }
        return Arrays.stream(Backend.values())
                .filter(backend -> backend.label().equals(named.strip().toLowerCase(Locale.ROOT)))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(PROPERTY + "/" + ENVIRONMENT + " is '" + named
                        + "'; name one of " + Arrays.stream(Backend.values()).map(Backend::label).toList()));
    }

    /**
     * Starts the selected backend's store for a platform on {@code dataDir} (nothing for SQLite,
     * whose file {@code up} creates there).
     */
    static E2eStore start(Path dataDir) {
        Backend backend = selected();
        return switch (backend) {
            case SQLITE -> new E2eStore(backend, dataDir, null, null, null);
            case ETCD -> {
                EtcdProcess etcd = EtcdProcess.start();
                yield new E2eStore(backend, dataDir, etcd.storeUrl(), etcd, null);
            }
            case POSTGRES -> {
                PostgresProcess postgres = PostgresProcess.start();
                try {
                    yield new E2eStore(backend, dataDir, postgres.createDatabase(), null, postgres);
                } catch (RuntimeException e) {
                    postgres.close();
                    throw e;
                }
            }
        };
    }

    Backend backend() {
        return backend;
    }

    /** The {@code --store} url to pass to {@code up}; null for SQLite, which {@code up} defaults to. */
    @Nullable String url() {
        return url;
    }

    /**
     * Whether the store itself, read directly rather than through the API server, holds {@code key}
     * ({@code /registry/...}): proof that the platform keeps its objects in this store.
     */
    boolean holds(String key) throws SQLException, InterruptedException, ExecutionException, TimeoutException {
        return switch (backend) {
            case SQLITE -> {
                try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("state.db"))) {
                    yield liveRow(connection, key);
                }
            }
            case POSTGRES -> {
                try (Connection connection = postgres.connect(PostgresProcess.databaseOf(url))) {
                    yield liveRow(connection, key);
                }
            }
            case ETCD -> {
                try (Client client = Client.builder().endpoints(etcd.endpoint()).build()) {
                    yield client.getKVClient().get(ByteSequence.from(key, StandardCharsets.UTF_8))
                            .get(10, TimeUnit.SECONDS).getCount() > 0;
                }
            }
        };
    }

    /** The SQL backends' log table: a key's newest row is its state, a tombstone when deleted. */
    private static boolean liveRow(Connection connection, String key) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT deleted FROM store_log WHERE name = ? ORDER BY id DESC LIMIT 1")) {
            query.setString(1, key);
            try (ResultSet row = query.executeQuery()) {
                return row.next() && row.getInt(1) == 0;
            }
        }
    }

    @Override
    public void close() {
        if (etcd != null) {
            etcd.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Override
    public String toString() {
        return url == null ? backend.label() + " (" + dataDir.resolve("state.db") + ")" : backend.label() + " at " + url;
    }
}
