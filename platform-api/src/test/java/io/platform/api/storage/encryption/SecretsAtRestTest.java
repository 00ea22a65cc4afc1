package io.platform.api.storage.encryption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.platform.api.storage.KeyValue;
import io.platform.api.storage.Store;
import io.platform.api.storage.sql.SqlStore;
import io.platform.api.storage.sql.SqlStoreProperties;
import io.platform.api.testing.RunningApiServer;
import io.platform.common.client.KubeconfigClients;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Secrets written through the API never reach the SQLite file in plaintext; rotation works while the server runs. */
class SecretsAtRestTest {

    private static RunningApiServer server;
    private static KubernetesClient client;

    @BeforeAll
    static void start() {
        server = RunningApiServer.start("node-1", Map.of(EncryptionProperties.PREFIX + ".reload-interval", "100ms"));
        client = KubeconfigClients.fromFile(server.pki().adminKubeconfig());
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    private static Secret secret(String name, String value) {
        return new SecretBuilder().withNewMetadata().withName(name).endMetadata()
                .addToData("password", Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)))
                .addToStringData("token", value + "-token").build();
    }

    /** Every byte SQLite holds for the store: the database file and its write-ahead log. */
    private static String rawDatabase() throws IOException {
        StringBuilder bytes = new StringBuilder();
        for (String name : List.of("state.db", "state.db-wal")) {
            Path file = server.dataDir().resolve(name);
            if (Files.exists(file)) {
                bytes.append(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
            }
        }
        return bytes.toString();
    }

    private static String decoded(Secret secret, String key) {
        return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
    }

    @Test
    void theDatabaseFileNeverHoldsASecretsValueWhileTheApiReturnsIt() throws IOException {
        String value = "hunter2-" + UUID.randomUUID();
        client.secrets().inNamespace("default").resource(secret("db-at-rest", value)).create();

        String raw = rawDatabase();
        assertThat(raw).contains("/registry/secrets/default/db-at-rest").contains("k8s:enc:aesgcm:v1:");
        assertThat(raw).doesNotContain(value)
                .doesNotContain(Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)))
                .doesNotContain(Base64.getEncoder().encodeToString((value + "-token").getBytes(StandardCharsets.UTF_8)));
        Secret read = client.secrets().inNamespace("default").withName("db-at-rest").get();
        assertThat(decoded(read, "password")).isEqualTo(value);
        assertThat(decoded(read, "token")).isEqualTo(value + "-token");
        assertThat(client.secrets().inNamespace("default").list().getItems())
                .anySatisfy(listed -> assertThat(listed.getMetadata().getName()).isEqualTo("db-at-rest"));
        // a ConfigMap is not configured for encryption: stored as it is
        client.configMaps().inNamespace("default").resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                .withNewMetadata().withName("plain").endMetadata().addToData("visible", value).build()).create();
        assertThat(rawDatabase()).contains(value);
    }

    @Test
    void rotationWhileTheServerRunsReencryptsEverySecretAndTheApiStillReadsThem() throws Exception {
        for (int i = 0; i < 5; i++) {
            client.secrets().inNamespace("default").resource(secret("rotated-" + i, "value-" + i)).create();
        }
        Path configFile = server.dataDir().resolve(EncryptionConfigFile.DEFAULT_NAME);
        String oldKey = EncryptionConfigFile.load(configFile).keyNames().iterator().next();
        List<String> progress = new ArrayList<>();
        KeyRotation.Result result;
        try (Store raw = SqlStore.open(SqlStoreProperties.sqlite(server.dataDir().resolve("state.db")))) {
            result = new KeyRotation(raw, configFile, 2, Clock.offset(Clock.systemUTC(), Duration.ofDays(1)),
                    progress::add).rotate(Duration.ofSeconds(1));
            assertThat(result.droppedKeys()).containsExactly(oldKey);
            for (KeyValue kv : raw.list("/registry/secrets/", 0, 0, null).items()) {
                assertThat(ValueTransformer.storedKeyName(kv.value())).as(kv.key()).contains(result.newKey());
            }
        }
        assertThat(result.rewritten()).isGreaterThanOrEqualTo(5);

        // the server re-read the file: old and new values open, new writes use the new key
        await().untilAsserted(() -> assertThat(decoded(client.secrets().inNamespace("default").withName("rotated-3")
                .get(), "password")).isEqualTo("value-3"));
        client.secrets().inNamespace("default").resource(secret("after-rotation", "later")).create();
        assertThat(decoded(client.secrets().inNamespace("default").withName("after-rotation").get(), "password"))
                .isEqualTo("later");
        try (Store raw = SqlStore.open(SqlStoreProperties.sqlite(server.dataDir().resolve("state.db")))) {
            assertThat(ValueTransformer.storedKeyName(raw.get("/registry/secrets/default/after-rotation")
                    .orElseThrow().value())).contains(result.newKey());
        }
    }
}
