package io.platform.api.storage.encryption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.platform.api.errors.ApiException;
import io.platform.api.storage.KeyValue;
import io.platform.api.storage.Store;
import io.platform.api.storage.WatchEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;

/** The decorator and key rotation over a real backend, run once per backend by a subclass. */
abstract class EncryptingStoreTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    Store raw;
    Path configFile;

    /** A fresh, empty store of the backend under test (closed by the test). */
    abstract Store openRaw(Path dir);

    @BeforeEach
    void open() {
        raw = openRaw(dir);
        configFile = dir.resolve("encryption-config.yaml");
    }

    @AfterEach
    void close() {
        raw.close();
    }

    private EncryptingStore encrypting(Duration reloadInterval) {
        return EncryptingStore.open(new Unclosed(raw), configFile, reloadInterval, CLOCK);
    }

    private static byte[] secret(String password) {
        return ("{\"kind\":\"Secret\",\"data\":{\"password\":\"" + password + "\"}}").getBytes(StandardCharsets.UTF_8);
    }

    private String rawText(String key) {
        return new String(raw.get(key).orElseThrow().value(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void writesAreSealedInTheStoreAndEveryReadOpensThem() throws IOException {
        EncryptingStore store = encrypting(Duration.ZERO);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(configFile))).isEqualTo("rw-------");
        String key = "/registry/secrets/default/db";
        List<WatchEvent> events = new CopyOnWriteArrayList<>();
        Disposable watch = store.watch("/registry/", store.currentRevision()).subscribe(events::add);
        try {
            KeyValue created = store.create(key, secret("first"));
            assertThat(created.value()).isEqualTo(secret("first"));
            assertThat(rawText(key)).startsWith("k8s:enc:aesgcm:v1:key-20260102T030405Z:").doesNotContain("first");
            KeyValue updated = store.update(key, created.modRevision(), secret("second"));
            assertThat(rawText(key)).doesNotContain("second");
            store.create("/registry/configmaps/default/db", secret("plain"));
            assertThat(rawText("/registry/configmaps/default/db")).contains("plain");

            assertThat(store.get(key).orElseThrow().value()).isEqualTo(secret("second"));
            assertThat(store.list("/registry/secrets/", 0, 0, null).items()).singleElement()
                    .satisfies(kv -> assertThat(kv.value()).isEqualTo(secret("second")));
            assertThat(store.delete(key, updated.modRevision()).value()).isEqualTo(secret("second"));

            await().untilAsserted(() -> assertThat(events).hasSize(4));
            assertThat(events.get(0).kv().value()).isEqualTo(secret("first"));
            assertThat(events.get(1).kv().value()).isEqualTo(secret("second"));
            assertThat(events.get(1).previous()).isNotNull();
            assertThat(events.get(1).previous().value()).isEqualTo(secret("first"));
            assertThat(events.get(3).type()).isEqualTo(WatchEvent.Type.DELETED);
            assertThat(events.get(3).kv().value()).isEqualTo(secret("second"));
        } finally {
            watch.dispose();
        }
    }

    @Test
    void aValueNoKeyOpensIsAServerErrorNamingTheKeyNeverTheStoredBytes() {
        EncryptingStore store = encrypting(Duration.ZERO);
        String key = "/registry/secrets/default/lost";
        byte[] foreign = ValueTransformer.of(EncryptionConfig.secretsWith(EncryptionConfigFile.newKey("gone")))
                .toStored(key, secret("x"));
        raw.create(key, foreign);

        assertThatThrownBy(() -> store.get(key)).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.code()).isEqualTo(500);
            assertThat(e.getMessage()).contains("unable to transform key \"" + key + "\"")
                    .contains("no aesgcm key named 'gone'");
        });
        assertThatThrownBy(() -> store.list("/registry/secrets/", 0, 0, null)).isInstanceOf(ApiException.class);
    }

    @Test
    void aChangedConfigurationFileIsUsedWithoutARestart() {
        EncryptingStore store = encrypting(Duration.ofMillis(50));
        String oldKey = store.config().keyNames().iterator().next();
        store.create("/registry/secrets/default/a", secret("a"));
        EncryptionConfig.Key next = EncryptionConfigFile.newKey("next");
        EncryptionConfigFile.write(configFile, EncryptionConfigFile.load(configFile).withWriteKey(next));

        await().untilAsserted(() -> assertThat(store.config().keyNames()).containsExactly("next", oldKey));
        store.create("/registry/secrets/default/b", secret("b"));
        assertThat(rawText("/registry/secrets/default/b")).startsWith("k8s:enc:aesgcm:v1:next:");
        assertThat(store.get("/registry/secrets/default/a").orElseThrow().value()).isEqualTo(secret("a"));
    }

    @Test
    void rotationRewritesEveryValueWithTheNewKeyThenDropsTheOldOne() throws InterruptedException {
        EncryptingStore store = encrypting(Duration.ZERO);
        String oldKey = store.config().keyNames().iterator().next();
        for (int i = 0; i < 7; i++) {
            store.create("/registry/secrets/ns" + (i % 2) + "/s" + i, secret("p" + i));
        }
        // written before encryption was on: rotation seals it too
        raw.create("/registry/secrets/ns0/legacy", secret("legacy"));
        store.create("/registry/configmaps/ns0/c", secret("config"));
        long configMapRevision = raw.get("/registry/configmaps/ns0/c").orElseThrow().modRevision();
        List<String> progress = new ArrayList<>();
        Clock later = Clock.offset(CLOCK, Duration.ofDays(30));

        KeyRotation.Result result = new KeyRotation(raw, configFile, 3, later, line -> {
            progress.add(line);
            if (progress.size() == 1) {
                // the new key is first, the old one still decrypts: values of both open
                EncryptingStore during = EncryptingStore.of(new Unclosed(raw), EncryptionConfigFile.load(configFile));
                assertThat(during.config().keyNames()).containsExactly("key-20260201T030405Z", oldKey);
                during.create("/registry/secrets/ns1/new", secret("new"));
                assertThat(rawText("/registry/secrets/ns1/new")).startsWith("k8s:enc:aesgcm:v1:key-20260201T030405Z:");
                assertThat(during.get("/registry/secrets/ns0/s0").orElseThrow().value()).isEqualTo(secret("p0"));
            }
        }).rotate(Duration.ZERO);

        assertThat(result.newKey()).isEqualTo("key-20260201T030405Z");
        assertThat(result.droppedKeys()).containsExactly(oldKey);
        assertThat(result.rewritten()).isEqualTo(8);
        assertThat(result.values()).isEqualTo(9);
        assertThat(EncryptionConfigFile.load(configFile).keyNames()).containsExactly("key-20260201T030405Z");
        for (KeyValue kv : raw.list("/registry/secrets/", 0, 0, null).items()) {
            assertThat(ValueTransformer.storedKeyName(kv.value())).as(kv.key()).contains("key-20260201T030405Z");
        }
        assertThat(raw.get("/registry/configmaps/ns0/c").orElseThrow().modRevision()).isEqualTo(configMapRevision);
        EncryptingStore after = EncryptingStore.of(new Unclosed(raw), EncryptionConfigFile.load(configFile));
        assertThat(after.get("/registry/secrets/ns0/legacy").orElseThrow().value()).isEqualTo(secret("legacy"));
        assertThat(after.get("/registry/secrets/ns1/s5").orElseThrow().value()).isEqualTo(secret("p5"));
    }

    @Test
    void rotationKeepsTheOldKeyWhenAValueCannotBeDecrypted() {
        EncryptingStore store = encrypting(Duration.ZERO);
        store.create("/registry/secrets/ns/ok", secret("ok"));
        String key = "/registry/secrets/ns/lost";
        raw.create(key, ValueTransformer.of(EncryptionConfig.secretsWith(EncryptionConfigFile.newKey("gone")))
                .toStored(key, secret("x")));

        assertThatThrownBy(() -> new KeyRotation(raw, configFile, 10, CLOCK, line -> { }).rotate(Duration.ZERO))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("1 value(s) cannot be decrypted, so the old keys stay")
                .hasMessageContaining(key);
        assertThat(EncryptionConfigFile.load(configFile).keyNames()).hasSize(2);
    }

    /** The raw store, which the test closes itself, under a decorator that would close it. */
    private record Unclosed(Store store) implements Store {
        @Override
        public java.util.Optional<KeyValue> get(String key) {
            return store.get(key);
        }

        @Override
        public io.platform.api.storage.ListResult list(String prefix, long revision, int limit,
                @org.jspecify.annotations.Nullable String continueAfterKey) {
            return store.list(prefix, revision, limit, continueAfterKey);
        }

        @Override
        public long count(String prefix) {
            return store.count(prefix);
        }

        @Override
        public KeyValue create(String key, byte[] value) {
            return store.create(key, value);
        }

        @Override
        public KeyValue update(String key, long expectedRevision, byte[] value) {
            return store.update(key, expectedRevision, value);
        }

        @Override
        public KeyValue delete(String key, long expectedRevision) {
            return store.delete(key, expectedRevision);
        }

        @Override
        public reactor.core.publisher.Flux<WatchEvent> watch(String prefix, long afterRevision) {
            return store.watch(prefix, afterRevision);
        }

        @Override
        public void compact(long revision) {
            store.compact(revision);
        }

        @Override
        public long currentRevision() {
            return store.currentRevision();
        }

        @Override
        public long compactedRevision() {
            return store.compactedRevision();
        }

        @Override
        public void close() {
            // the test closes the raw store
        }
    }
}
