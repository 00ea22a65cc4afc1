package io.platform.api.storage.encryption;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * An {@link EncryptionConfig} made ready to use on store values: which keys are sealed on write and with which
 * key, and every key that can open a value on read. Reads go by the key name in the value's prefix, whatever
 * resource it belongs to, so values written before a configuration change stay readable while their key is still
 * listed; values without the {@code k8s:enc:} prefix are read as they are (identity).
 */
public final class ValueTransformer {

    /** A resource's key prefix and the key its writes use (null: identity first, stored as they are). */
    private record WriteRule(String keyPrefix, EncryptionConfig.@Nullable Key key) {}

    private final EncryptionConfig config;
    private final List<WriteRule> writeRules;
    private final Map<String, EncryptionConfig.Key> keysByName;

    private ValueTransformer(EncryptionConfig config) {
        this.config = config;
        List<WriteRule> rules = new ArrayList<>();
        Map<String, EncryptionConfig.Key> keys = new HashMap<>();
        for (EncryptionConfig.Rule rule : config.rules()) {
            EncryptionConfig.Key writeKey = rule.providers().getFirst() instanceof EncryptionConfig.AesGcmProvider aes
                    ? aes.keys().getFirst() : null;
            for (String resource : rule.resources()) {
                rules.add(new WriteRule(EncryptedResources.keyPrefix(resource), writeKey));
            }
            for (EncryptionConfig.Provider provider : rule.providers()) {
                if (provider instanceof EncryptionConfig.AesGcmProvider aes) {
                    aes.keys().forEach(key -> keys.putIfAbsent(key.name(), key));
                }
            }
        }
        // the most specific rule wins: secrets before *.*, as upstream lets an explicit resource override a wildcard
        rules.sort(Comparator.comparingInt((WriteRule rule) -> rule.keyPrefix().length()).reversed());
        this.writeRules = List.copyOf(rules);
        this.keysByName = Map.copyOf(keys);
    }

    public static ValueTransformer of(EncryptionConfig config) {
        return new ValueTransformer(config);
    }

    public EncryptionConfig config() {
        return config;
    }

    /** The key prefixes of every configured resource (what key rotation rewrites). */
    public List<String> keyPrefixes() {
        return writeRules.stream().map(WriteRule::keyPrefix).distinct().toList();
    }

    /** The name of the key a write of {@code storeKey} is sealed with; empty when it is stored as it is. */
    public Optional<String> writeKeyName(String storeKey) {
        return Optional.ofNullable(writeKey(storeKey)).map(EncryptionConfig.Key::name);
    }

    private EncryptionConfig.@Nullable Key writeKey(String storeKey) {
        for (WriteRule rule : writeRules) {
            if (storeKey.startsWith(rule.keyPrefix())) {
                return rule.key();
            }
        }
        return null;
    }

    /** The value to store for {@code plaintext} under {@code storeKey}. */
    public byte[] toStored(String storeKey, byte[] plaintext) {
        EncryptionConfig.Key key = writeKey(storeKey);
        return key == null ? plaintext : AesGcm.encrypt(key, storeKey, plaintext);
    }

    /**
     * The plaintext of a stored value.
     *
     * @throws UndecryptableValueException when the value is encrypted with a key this configuration does not hold,
     *     by an unsupported provider, or does not authenticate under {@code storeKey}
     */
    public byte[] fromStored(String storeKey, byte[] stored) {
        if (!AesGcm.startsWith(stored, AesGcm.ENCRYPTED_PREFIX)) {
            return stored;
        }
        Optional<String> name = storedKeyName(stored);
        if (name.isEmpty()) {
            throw new UndecryptableValueException(storeKey, "the value is encrypted by a provider other than aesgcm ("
                    + printablePrefix(stored) + ")");
        }
        EncryptionConfig.Key key = keysByName.get(name.get());
        if (key == null) {
            throw new UndecryptableValueException(storeKey, "no aesgcm key named '" + name.get()
                    + "' in the encryption configuration (known: " + String.join(", ", keysByName.keySet()) + ")");
        }
        try {
            return AesGcm.decrypt(key, storeKey, stored);
        } catch (IllegalArgumentException e) {
            throw new UndecryptableValueException(storeKey, e.getMessage());
        }
    }

    /** The key name in an aesgcm value's prefix; empty for plaintext and other providers' values. */
    public static Optional<String> storedKeyName(byte[] stored) {
        byte[] prefix = AesGcm.PREFIX.getBytes(StandardCharsets.US_ASCII);
        if (!AesGcm.startsWith(stored, prefix)) {
            return Optional.empty();
        }
        for (int i = prefix.length; i < stored.length && i < prefix.length + 256; i++) {
            if (stored[i] == ':') {
                return i == prefix.length ? Optional.empty()
                        : Optional.of(new String(stored, prefix.length, i - prefix.length, StandardCharsets.US_ASCII));
            }
        }
        return Optional.empty();
    }

    private static String printablePrefix(byte[] stored) {
        int end = 0;
        int colons = 0;
        while (end < stored.length && end < 64 && colons < 4) {
            if (stored[end] == ':') {
                colons++;
            }
            end++;
        }
        return new String(stored, 0, end, StandardCharsets.US_ASCII);
    }

    /** A stored value that cannot be turned back into plaintext; the message names the store key. */
    public static final class UndecryptableValueException extends RuntimeException {
        UndecryptableValueException(String storeKey, String reason) {
            super("unable to transform key \"" + storeKey + "\": " + reason, null, false, false);
        }
    }
}
