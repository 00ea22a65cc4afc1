package io.platform.api.storage.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.platform.api.storage.KeyValue;
import io.platform.api.storage.Store;
import io.platform.api.storage.StoreConformanceTest;
import io.platform.api.storage.WatchEvent;
import io.platform.api.testing.PostgresProcess;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Store conformance suite on PostgreSQL: one throwaway cluster for the class, a new database
 * per test. Skipped when PostgreSQL is not installed.
 */
class PostgresStoreConformanceTest extends StoreConformanceTest {

    private static PostgresProcess postgres;
    private String url;
    private Duration pollInterval = Duration.ofMillis(200);

    @BeforeAll
    static void startPostgres() {
        postgres = PostgresProcess.start();
    }

    @AfterAll
    static void stopPostgres() {
        if (postgres != null) {
            postgres.close();
        }
    }

    @BeforeEach
    void newDatabase() {
        url = postgres.createDatabase();
    }

    @Override
    protected Store openStore() {
        return SqlStore.open(SqlStoreProperties.forUrl(url)
                .withPollInterval(pollInterval)
                .withWatchBufferSize(watchBufferSize()));
    }

    /** With polling all but off, only NOTIFY can tell the watching store of the other one's writes this fast. */
    @Test
    void anotherStoresWritesWakeWatchThroughNotify() {
        pollInterval = Duration.ofMinutes(5);
        Store watching = open();
        Store other = open();
        Collected watch = collect(watching, "/registry/", watching.currentRevision());

        KeyValue created = other.create("/registry/leases/l", bytes("1"));
        await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> assertThat(watch.events)
                .extracting(WatchEvent::revision).containsExactly(created.modRevision()));
    }
}
