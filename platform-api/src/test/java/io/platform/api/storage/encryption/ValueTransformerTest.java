package io.platform.api.storage.encryption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class ValueTransformerTest {

    private static final String KEY = "/registry/secrets/default/db";
    private static final byte[] PLAIN = "{\"data\":{\"password\":\"aHVudGVyMg==\"}}".getBytes(StandardCharsets.UTF_8);

    private static final EncryptionConfig.Key KEY1 = EncryptionConfigFile.newKey("key1");
    private static final EncryptionConfig.Key KEY2 = EncryptionConfigFile.newKey("key2");

    @Test
    void sealsSecretsWithThePrefixNonceAndCiphertextAndOpensThemAgain() {
        ValueTransformer transformer = ValueTransformer.of(EncryptionConfig.secretsWith(KEY1));

        byte[] stored = transformer.toStored(KEY, PLAIN);

        assertThat(new String(stored, StandardCharsets.ISO_8859_1)).startsWith("k8s:enc:aesgcm:v1:key1:")
                .doesNotContain("aHVudGVyMg==").doesNotContain("password");
        // prefix + 12-byte nonce + ciphertext + 16-byte tag
        assertThat(stored).hasSize("k8s:enc:aesgcm:v1:key1:".length() + 12 + PLAIN.length + 16);
        assertThat(transformer.fromStored(KEY, stored)).isEqualTo(PLAIN);
        assertThat(ValueTransformer.storedKeyName(stored)).contains("key1");
        // a random nonce: the same plaintext never gives the same bytes twice
        assertThat(transformer.toStored(KEY, PLAIN)).isNotEqualTo(stored);
    }

    @Test
    void theStoreKeyIsAuthenticatedSoACiphertextMovedToAnotherKeyDoesNotOpen() {
        ValueTransformer transformer = ValueTransformer.of(EncryptionConfig.secretsWith(KEY1));
        byte[] stored = transformer.toStored(KEY, PLAIN);

        assertThatThrownBy(() -> transformer.fromStored("/registry/secrets/default/other", stored))
                .isInstanceOf(ValueTransformer.UndecryptableValueException.class)
                .hasMessageContaining("\"/registry/secrets/default/other\"")
                .hasMessageContaining("does not authenticate with key 'key1'");
    }

    @Test
    void aTamperedValueDoesNotOpen() {
        ValueTransformer transformer = ValueTransformer.of(EncryptionConfig.secretsWith(KEY1));
        byte[] stored = transformer.toStored(KEY, PLAIN);
        stored[stored.length - 20] ^= 1;

        assertThatThrownBy(() -> transformer.fromStored(KEY, stored))
                .isInstanceOf(ValueTransformer.UndecryptableValueException.class);
    }

    @Test
    void aValueOfAKeyTheConfigurationDoesNotHoldIsAnErrorNamingBothKeys() {
        byte[] stored = ValueTransformer.of(EncryptionConfig.secretsWith(KEY1)).toStored(KEY, PLAIN);
        ValueTransformer other = ValueTransformer.of(EncryptionConfig.secretsWith(KEY2));

        assertThatThrownBy(() -> other.fromStored(KEY, stored))
                .isInstanceOf(ValueTransformer.UndecryptableValueException.class)
                .hasMessage("unable to transform key \"" + KEY + "\": no aesgcm key named 'key1' in the encryption"
                        + " configuration (known: key2)");
    }

    @Test
    void aSecretWithTheSameNameButAnotherSecretDoesNotOpen() {
        byte[] stored = ValueTransformer.of(EncryptionConfig.secretsWith(KEY1)).toStored(KEY, PLAIN);
        ValueTransformer impostor = ValueTransformer.of(EncryptionConfig.secretsWith(EncryptionConfigFile.newKey("key1")));

        assertThatThrownBy(() -> impostor.fromStored(KEY, stored))
                .isInstanceOf(ValueTransformer.UndecryptableValueException.class);
    }

    @Test
    void identityFirstStoresPlaintextAndStillOpensValuesOfTheKeysAfterIt() {
        byte[] old = ValueTransformer.of(EncryptionConfig.secretsWith(KEY1)).toStored(KEY, PLAIN);
        ValueTransformer identityFirst = ValueTransformer.of(new EncryptionConfig(List.of(new EncryptionConfig.Rule(
                List.of("secrets"), List.of(new EncryptionConfig.IdentityProvider(),
                        new EncryptionConfig.AesGcmProvider(List.of(KEY1)))))));

        assertThat(identityFirst.toStored(KEY, PLAIN)).isEqualTo(PLAIN);
        assertThat(identityFirst.writeKeyName(KEY)).isEmpty();
        assertThat(identityFirst.fromStored(KEY, old)).isEqualTo(PLAIN);
        assertThat(identityFirst.fromStored(KEY, PLAIN)).isEqualTo(PLAIN);
    }

    @Test
    void onlyConfiguredResourcesAreSealedAndPlaintextValuesReadAsTheyAre() {
        ValueTransformer transformer = ValueTransformer.of(EncryptionConfig.secretsWith(KEY1));

        assertThat(transformer.toStored("/registry/configmaps/default/db", PLAIN)).isEqualTo(PLAIN);
        assertThat(transformer.toStored("/registry/secretsx/default/db", PLAIN)).isEqualTo(PLAIN);
        assertThat(transformer.fromStored(KEY, PLAIN)).isEqualTo(PLAIN);
    }

    @Test
    void aNewWriteKeyEncryptsWhileTheOldOneStillDecrypts() {
        EncryptionConfig config = EncryptionConfig.secretsWith(KEY1);
        byte[] old = ValueTransformer.of(config).toStored(KEY, PLAIN);
        ValueTransformer rotated = ValueTransformer.of(config.withWriteKey(KEY2));

        byte[] fresh = rotated.toStored(KEY, PLAIN);

        assertThat(ValueTransformer.storedKeyName(fresh)).contains("key2");
        assertThat(rotated.fromStored(KEY, old)).isEqualTo(PLAIN);
        assertThat(rotated.fromStored(KEY, fresh)).isEqualTo(PLAIN);
        assertThat(config.withWriteKey(KEY2).withOnlyWriteKeys().keyNames()).containsExactly("key2");
    }

    @Test
    void wildcardsAndGroupsMapOntoTheStoreLayoutAndTheMostSpecificRuleWins() {
        EncryptionConfig config = new EncryptionConfig(List.of(
                new EncryptionConfig.Rule(List.of("secrets", "deployments.apps"),
                        List.of(new EncryptionConfig.AesGcmProvider(List.of(KEY1)))),
                new EncryptionConfig.Rule(List.of("*.*"), List.of(new EncryptionConfig.AesGcmProvider(List.of(KEY2))))));
        ValueTransformer transformer = ValueTransformer.of(config);

        assertThat(transformer.writeKeyName(KEY)).contains("key1");
        assertThat(transformer.writeKeyName("/registry/apps/deployments/default/web")).contains("key1");
        assertThat(transformer.writeKeyName("/registry/apps/replicasets/default/web")).contains("key2");
        assertThat(transformer.writeKeyName("/registry/configmaps/default/web")).contains("key2");
    }

    @Test
    void theYamlFormReadsBackAndUpstreamsFileParses() {
        EncryptionConfig config = EncryptionConfig.secretsWith(KEY1).withWriteKey(KEY2);
        EncryptionConfig read = EncryptionConfig.parse(config.toYaml(), "test");
        assertThat(read.keyNames()).containsExactly("key2", "key1");
        assertThat(ValueTransformer.of(read).fromStored(KEY, ValueTransformer.of(config).toStored(KEY, PLAIN)))
                .isEqualTo(PLAIN);

        String secret = Base64.getEncoder().encodeToString(KEY1.secret());
        String upstream = """
                apiVersion: apiserver.config.k8s.io/v1
                kind: EncryptionConfiguration
                resources:
                  - resources:
                      - secrets
                      - configmaps
                    providers:
                      - aesgcm:
                          keys:
                            - name: key1
                              secret: %s
                      - identity: {}
                """.formatted(secret);
        EncryptionConfig parsed = EncryptionConfig.parse(upstream.getBytes(StandardCharsets.UTF_8), "upstream.yaml");
        assertThat(parsed.rules().getFirst().resources()).containsExactly("secrets", "configmaps");
        assertThat(parsed.rules().getFirst().providers().get(1)).isInstanceOf(EncryptionConfig.IdentityProvider.class);
    }

    @Test
    void unsupportedProvidersAndBadKeysAreRefusedNamingTheFile() {
        String kms = """
                apiVersion: apiserver.config.k8s.io/v1
                kind: EncryptionConfiguration
                resources:
                  - resources: [secrets]
                    providers:
                      - kms: {name: vault}
                """;
        assertThatThrownBy(() -> EncryptionConfig.parse(kms.getBytes(StandardCharsets.UTF_8), "/etc/enc.yaml"))
                .hasMessage("/etc/enc.yaml: unsupported provider 'kms'; supported: aesgcm, identity");
        String shortKey = """
                apiVersion: apiserver.config.k8s.io/v1
                kind: EncryptionConfiguration
                resources:
                  - resources: [secrets]
                    providers:
                      - aesgcm: {keys: [{name: k, secret: c2hvcnQ=}]}
                """;
        assertThatThrownBy(() -> EncryptionConfig.parse(shortKey.getBytes(StandardCharsets.UTF_8), "f"))
                .hasMessage("f: aesgcm key 'k' must be 16, 24 or 32 bytes, got 5");
        assertThatThrownBy(() -> EncryptionConfig.parse("kind: Pod".getBytes(StandardCharsets.UTF_8), "f"))
                .hasMessageContaining("expected apiVersion apiserver.config.k8s.io/v1 and kind EncryptionConfiguration");
    }
}
