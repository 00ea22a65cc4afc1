package io.platform.e2e.storage;

import io.platform.api.testing.EtcdProcess;
import io.platform.api.testing.PostgresProcess;
import org.jspecify.annotations.Nullable;

/**
 * The store backends an API server process can run on, each provisioned for one test: SQLite (the
 * default file in the data dir), a throwaway PostgreSQL cluster, a single etcd member. PostgreSQL and
 * etcd skip the test (an assumption) when their binaries are not installed.
 */
enum StoreBackend {
    SQLITE, POSTGRES, ETCD;

    /** A running store, and the {@code --store} url naming it (null: the default SQLite file). */
    record Provisioned(StoreBackend backend, @Nullable String url, @Nullable AutoCloseable server)
            implements AutoCloseable {

        @Override
        public void close() throws Exception {
            if (server != null) {
                server.close();
            }
        }
    }

    Provisioned provision() {
        return switch (this) {
            case SQLITE -> new Provisioned(this, null, null);
            case POSTGRES -> {
                PostgresProcess postgres = PostgresProcess.start();
                try {
                    yield new Provisioned(this, postgres.createDatabase(), postgres);
                } catch (RuntimeException e) {
                    postgres.close();
                    throw e;
                }
            }
            case ETCD -> {
                EtcdProcess etcd = EtcdProcess.start();
                yield new Provisioned(this, etcd.storeUrl(), etcd);
            }
        };
    }

    String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
