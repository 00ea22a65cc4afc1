package io.platform.bench;

import io.platform.api.testing.PostgresProcess;

/** PostgreSQL stores: one new database per store in one throwaway cluster on loopback. */
final class PostgresDatabases implements StoreServer {

    private final PostgresProcess postgres;

    PostgresDatabases(PostgresProcess postgres) {
        this.postgres = postgres;
    }

    @Override
    public String newStore() {
        return postgres.createDatabase();
    }

    @Override
    public void close() {
        postgres.close();
    }
}
