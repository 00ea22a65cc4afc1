package io.platform.api.storage.sql;

import static io.platform.api.storage.sql.SqlStoreTest.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.platform.api.storage.Store;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class SqlStoreConfigurationTest {

    @TempDir
    Path dir;

    private final ApplicationContextRunner context =
            new ApplicationContextRunner().withUserConfiguration(SqlStoreConfiguration.class);

    @Test
    void opensTheStoreTheUrlNamesAndClosesItWithTheContext() {
        Path file = dir.resolve("deep/er/state.db");
        AtomicReference<Store> opened = new AtomicReference<>();
        context.withPropertyValues("platform.api.storage.url=sqlite:" + file,
                        "platform.api.storage.poll-interval=250ms")
                .run(running -> {
                    assertThat(running).hasSingleBean(Store.class);
                    Store store = running.getBean(Store.class);
                    assertThat(store.create("/registry/namespaces/default", bytes("{}")).modRevision()).isEqualTo(1);
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

    @Test
    void refusesAUrlThatIsNotSqlite() {
        context.withPropertyValues("platform.api.storage.url=postgresql://localhost/platform")
                .run(running -> assertThat(running).getFailure()
                        .rootCause()
                        .hasMessageContaining("must look like sqlite:/path/to/state.db"));
    }
}
