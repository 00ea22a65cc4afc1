package io.platform.api.storage.encryption;

import io.platform.api.storage.KeyNotFoundException;
import io.platform.api.storage.KeyValue;
import io.platform.api.storage.ListResult;
import io.platform.api.storage.RevisionConflictException;
import io.platform.api.storage.Store;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Rotates the encryption key over a raw store (the values as stored, e.g. {@code StoreConfiguration.open}), in
 * upstream's documented order: a new key goes first in the configuration while the old ones stay to decrypt;
 * every value of the configured resources is rewritten with the new key (a compare-and-swap per key, retried when
 * a writer got in between), read in pages; the scan repeats until a whole pass finds nothing to rewrite; only then
 * are the old keys dropped from the configuration.
 */
public final class KeyRotation {

    private static final int PASSES = 5;
    private static final int ATTEMPTS_PER_KEY = 10;

    /**
     * What a rotation did.
     *
     * @param rewritten values re-encrypted with the new key
     * @param values values of the configured resources at the end, every one with the new key
     * @param vanished values deleted while being rewritten
     */
    public record Result(String newKey, Set<String> droppedKeys, long rewritten, long values, long vanished) {}

    private final Store store;
    private final Path configFile;
    private final int pageSize;
    private final Clock clock;
    private final Consumer<String> progress;

    public KeyRotation(Store store, Path configFile, int pageSize, Clock clock, Consumer<String> progress) {
        this.store = store;
        this.configFile = configFile;
        this.pageSize = pageSize;
        this.clock = clock;
        this.progress = progress;
    }

    /**
     * Rotates the key; {@code settle} is how long to wait after writing the new key first before rewriting, so
     * running API servers re-read the file and write new values with the new key (zero when none runs).
     *
     * @throws IllegalStateException when no resource is written with aesgcm (encryption is off: nothing to
     *     rotate), or some values cannot be decrypted (the old keys are then kept)
     */
    public Result rotate(Duration settle) throws InterruptedException {
        EncryptionConfig before = EncryptionConfigFile.load(configFile);
        boolean encrypting = before.rules().stream()
                .anyMatch(rule -> rule.providers().getFirst() instanceof EncryptionConfig.AesGcmProvider);
        if (!encrypting) {
            throw new IllegalStateException("encryption is off in " + configFile
                    + " (identity is every resource's first provider): there is no key to rotate");
        }
        String name = EncryptionConfigFile.newKeyName(clock, before.keyNames());
        EncryptionConfig withNewKey = before.withWriteKey(EncryptionConfigFile.newKey(name));
        EncryptionConfigFile.write(configFile, withNewKey);
        progress.accept("added key '" + name + "' first in " + configFile + "; the old keys still decrypt");
        if (settle.isPositive()) {
            progress.accept("waiting " + settle.toSeconds() + "s for running API servers to load the new key");
            Thread.sleep(settle);
        }
        ValueTransformer transformer = ValueTransformer.of(withNewKey);
        long rewritten = 0;
        long vanished = 0;
        long values;
        for (int pass = 1; ; pass++) {
            Counts counts = new Counts();
            for (String prefix : prefixes(transformer)) {
                rewrite(prefix, transformer, counts);
            }
            rewritten += counts.rewritten;
            vanished += counts.vanished;
            values = counts.current;
            if (!counts.failures.isEmpty()) {
                throw new IllegalStateException(counts.failures.size() + " value(s) cannot be decrypted, so the old"
                        + " keys stay in " + configFile + "; first: " + counts.failures.getFirst());
            }
            if (counts.rewritten == 0) {
                break;
            }
            if (pass == PASSES) {
                throw new IllegalStateException("values were still written with an old key after " + PASSES
                        + " passes (is an API server running that does not re-read " + configFile
                        + "? restart it and run rotate again); the old keys stay");
            }
        }
        EncryptionConfig after = withNewKey.withOnlyWriteKeys();
        Set<String> dropped = new LinkedHashSet<>(withNewKey.keyNames());
        dropped.removeAll(after.keyNames());
        EncryptionConfigFile.write(configFile, after);
        return new Result(name, dropped, rewritten, values, vanished);
    }

    /** The configured prefixes, without those inside another (with {@code *.*}, only {@code /registry/}). */
    private static List<String> prefixes(ValueTransformer transformer) {
        List<String> all = transformer.keyPrefixes();
        List<String> outer = new ArrayList<>();
        for (String prefix : all) {
            if (all.stream().noneMatch(other -> !other.equals(prefix) && prefix.startsWith(other))) {
                outer.add(prefix);
            }
        }
        return outer;
    }

    private void rewrite(String prefix, ValueTransformer transformer, Counts counts) {
        String after = null;
        do {
            ListResult page = store.list(prefix, 0, pageSize, after);
            for (KeyValue kv : page.items()) {
                rewrite(kv, transformer, counts);
            }
            after = page.continueAfterKey();
        } while (after != null);
    }

    private void rewrite(KeyValue first, ValueTransformer transformer, Counts counts) {
        KeyValue kv = first;
        for (int attempt = 1; ; attempt++) {
            Optional<String> target = transformer.writeKeyName(kv.key());
            if (target.equals(ValueTransformer.storedKeyName(kv.value()))) {
                counts.current++;
                return;
            }
            byte[] plaintext;
            try {
                plaintext = transformer.fromStored(kv.key(), kv.value());
            } catch (ValueTransformer.UndecryptableValueException e) {
                counts.failures.add(e.getMessage());
                return;
            }
            try {
                store.update(kv.key(), kv.modRevision(), transformer.toStored(kv.key(), plaintext));
                counts.rewritten++;
                return;
            } catch (RevisionConflictException e) {
                Optional<KeyValue> latest = store.get(kv.key());
                if (latest.isEmpty()) {
                    counts.vanished++;
                    return;
                }
                if (attempt == ATTEMPTS_PER_KEY) {
                    counts.failures.add(kv.key() + " changed " + ATTEMPTS_PER_KEY + " times while being rewritten");
                    return;
                }
                kv = latest.get();
            } catch (KeyNotFoundException e) {
                counts.vanished++;
                return;
            }
        }
    }

    private static final class Counts {
        long rewritten;
        long current;
        long vanished;
        final List<String> failures = new ArrayList<>();
    }
}
