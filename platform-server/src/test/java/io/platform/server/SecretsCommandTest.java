package io.platform.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.platform.api.storage.KeyValue;
import io.platform.api.storage.Store;
import io.platform.api.storage.encryption.EncryptingStore;
import io.platform.api.storage.encryption.EncryptionConfigFile;
import io.platform.api.storage.encryption.ValueTransformer;
import io.platform.api.storage.sql.SqlStore;
import io.platform.api.storage.sql.SqlStoreProperties;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code platform secrets rotate} through {@link PlatformMain}, on a store the API server wrote (it is stopped). */
class SecretsCommandTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PlatformMain main = new PlatformMain(new PrintStream(printed, true, UTF_8));

    private Path configFile() {
        return dir.resolve(EncryptionConfigFile.DEFAULT_NAME);
    }

    private Store rawStore() {
        return SqlStore.open(SqlStoreProperties.sqlite(dir.resolve("state.db")));
    }

    /** Secrets written as the API server writes them: through the encrypting store, which creates the config. */
    private void writeSecrets(int count) {
        try (Store store = EncryptingStore.open(rawStore(), configFile(), Duration.ZERO, Clock.systemUTC())) {
            for (int i = 0; i < count; i++) {
                store.create("/registry/secrets/default/s" + i, ("{\"data\":{\"k\":\"" + i + "\"}}").getBytes(UTF_8));
            }
            store.create("/registry/configmaps/default/c", "{\"data\":{}}".getBytes(UTF_8));
        }
    }

    @Test
    void rotateReencryptsEverySecretWithANewKeyAndDropsTheOldOne() {
        writeSecrets(5);
        Set<String> before = EncryptionConfigFile.load(configFile()).keyNames();

        int code = main.run(List.of("secrets", "rotate", "--data-dir", dir.toString(), "--page-size", "2"));

        String output = printed.toString(UTF_8);
        assertThat(code).as(output).isZero();
        Set<String> after = EncryptionConfigFile.load(configFile()).keyNames();
        assertThat(after).hasSize(1).doesNotContainAnyElementsOf(before);
        String newKey = after.iterator().next();
        assertThat(output).contains("re-encrypted 5 values").contains("with key '" + newKey + "'")
                .contains("dropped key '" + before.iterator().next() + "'");
        try (Store raw = rawStore()) {
            List<KeyValue> secrets = raw.list("/registry/secrets/", 0, 0, null).items();
            assertThat(secrets).hasSize(5).allSatisfy(kv ->
                    assertThat(ValueTransformer.storedKeyName(kv.value())).contains(newKey));
        }
        try (Store store = EncryptingStore.open(rawStore(), configFile(), Duration.ZERO, Clock.systemUTC())) {
            assertThat(new String(store.get("/registry/secrets/default/s3").orElseThrow().value(), UTF_8))
                    .isEqualTo("{\"data\":{\"k\":\"3\"}}");
        }
    }

    @Test
    void rotateWithoutAConfigurationOrSubcommandIsRefused() {
        assertThat(main.run(List.of("secrets", "rotate", "--data-dir", dir.toString()))).isEqualTo(PlatformMain.USAGE);
        assertThat(main.run(List.of("secrets"))).isEqualTo(PlatformMain.USAGE);
        assertThat(main.run(List.of("secrets", "rotate", "--reload-wait", "soon"))).isEqualTo(PlatformMain.USAGE);
    }
}
