package io.platform.api.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.platform.api.storage.encryption.EncryptingStore;
import io.platform.api.storage.etcd.EtcdStore;
import io.platform.api.storage.sql.SqlStore;
import io.platform.api.storage.sql.SqlStoreProperties;
import io.platform.api.testing.EtcdProcess;
import io.platform.api.testing.PostgresProcess;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

class StoreConfigurationTest {

    @TempDir
    Path dir;

    private final ApplicationContextRunner context =
            new ApplicationContextRunner().withUserConfiguration(StoreConfiguration.class)
                    .withPropertyValues("platform.api.encryption.reload-interval=0s");

    @Test
    void opensTheSqliteFileTheUrlNamesAndClosesItWithTheContext() {
        Path file = dir.resolve("deep/er/state.db");
        AtomicReference<Store> opened = new AtomicReference<>();
        context.withPropertyValues("platform.api.storage.url=sqlite:" + file, "platform.api.data-dir=" + dir,
                        "platform.api.storage.poll-interval=250ms")
                .run(running -> {
                    assertThat(running).hasSingleBean(Store.class);
                    Store store = running.getBean(Store.class);
                    assertThat(((EncryptingStore) store).delegate()).isInstanceOf(SqlStore.class);
                    assertThat(store.create("/registry/namespaces/default", "{}".getBytes(UTF_8)).modRevision())
                            .isEqualTo(1);
                    assertThat(running.getBean(SqlStoreProperties.class).pollInterval()).hasMillis(250);
                    opened.set(store);
                });
        assertThat(file).exists();
        assertThatThrownBy(() -> opened.get().currentRevision()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void defaultsToStateDbInTheDataDir() {
        Path dataDir = dir.resolve("data");
        context.withPropertyValues("platform.api.data-dir=" + dataDir)
                .run(running -> assertThat(running.getBean(Store.class).currentRevision()).isZero());
        assertThat(dataDir.resolve("state.db")).exists();
    }

    /** What backup and restore use: the same binding and default, from an environment without a context. */
    @Test
    void opensTheSameStoreWithoutAContext() {
        Path dataDir = dir.resolve("data");
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test",
                Map.of("platform.api.data-dir", dataDir.toString(), "platform.api.storage.poll-interval", "250ms")));

        assertThat(StoreConfiguration.storeUrl(environment))
                .isEqualTo(new StoreUrl.Sqlite(dataDir.resolve("state.db").toAbsolutePath()));
        try (Store store = StoreConfiguration.open(environment)) {
            assertThat(store).isInstanceOf(SqlStore.class);
            assertThat(store.currentRevision()).isZero();
        }
        assertThat(dataDir.resolve("state.db")).exists();

        environment.getPropertySources().addFirst(new MapPropertySource("url",
                Map.of("platform.api.storage.url", "etcd://127.0.0.1:1,127.0.0.1:2")));
        assertThat(StoreConfiguration.storeUrl(environment)).isInstanceOf(StoreUrl.Etcd.class);
    }

    @Test
    void refusesAUrlOfNoAcceptedFormNamingThem() {
        context.withPropertyValues("platform.api.storage.url=mysql://localhost/platform")
                .run(running -> assertThat(running).getFailure()
                        .rootCause()
                        .hasMessageContaining("accepted forms: sqlite:PATH, postgres://")
                        .hasMessageContaining("etcd://HOST:PORT[,HOST:PORT...]"));
    }

    @Test
    void opensPostgresWhenTheUrlSaysSo() {
        try (PostgresProcess postgres = PostgresProcess.start()) {
            String url = postgres.createDatabase();
            context.withPropertyValues("platform.api.storage.url=" + url, "platform.api.data-dir=" + dir)
                    .run(running -> {
                        Store store = running.getBean(Store.class);
                        assertThat(((EncryptingStore) store).delegate()).isInstanceOf(SqlStore.class);
                        assertThat(store.create("/k", "v".getBytes(UTF_8)).modRevision()).isEqualTo(1);
                    });
        }
    }

    @Test
    void opensEtcdWhenTheUrlSaysSo() {
        try (EtcdProcess etcd = EtcdProcess.start()) {
            context.withPropertyValues("platform.api.storage.url=" + etcd.storeUrl(), "platform.api.data-dir=" + dir)
                    .run(running -> {
                        Store store = running.getBean(Store.class);
                        assertThat(((EncryptingStore) store).delegate()).isInstanceOf(EtcdStore.class);
                        long base = store.currentRevision();
                        assertThat(store.create("/k", "v".getBytes(UTF_8)).modRevision()).isEqualTo(base + 1);
                    });
        }
    }
}
