package io.platform.api.storage.encryption;

import io.platform.api.errors.ApiException;
import io.platform.api.storage.KeyValue;
import io.platform.api.storage.ListResult;
import io.platform.api.storage.Store;
import io.platform.api.storage.WatchEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;

/**
 * Encryption at rest over any store backend, as kube-apiserver's value transformers around etcd: values of the
 * configured resources are sealed on create and update, and every value read (get, list, the deleted value,
 * watch events and their previous values) is opened again, so nothing above the store sees ciphertext and the
 * store never holds those values in plaintext. A value that cannot be opened is a 500 naming its key, never bytes
 * passed on as they are. With a configuration file, the file is read again when it changes.
 */
public final class EncryptingStore implements Store {

    private static final Logger log = LoggerFactory.getLogger(EncryptingStore.class);

    private final Store delegate;
    private final AtomicReference<ValueTransformer> transformer;
    private final @Nullable ScheduledExecutorService reloader;

    private EncryptingStore(Store delegate, ValueTransformer transformer, @Nullable ScheduledExecutorService reloader) {
        this.delegate = delegate;
        this.transformer = new AtomicReference<>(transformer);
        this.reloader = reloader;
    }

    /** {@code delegate} with a fixed configuration (no file). */
    public static EncryptingStore of(Store delegate, EncryptionConfig config) {
        return new EncryptingStore(delegate, ValueTransformer.of(config), null);
    }

    /**
     * {@code delegate} encrypted as {@code configFile} says (written with a new key when absent), reading the file
     * again every {@code reloadInterval} when it changed (zero: never). Closes {@code delegate} when the file is not
     * a valid configuration.
     */
    public static EncryptingStore open(Store delegate, Path configFile, Duration reloadInterval, Clock clock) {
        ValueTransformer transformer;
        AtomicReference<FileState> last = new AtomicReference<>();
        try {
            EncryptionConfigFile.loadOrCreate(configFile, clock);
            // the state before the read: a change after it is seen by the next round
            last.set(FileState.of(configFile));
            transformer = ValueTransformer.of(EncryptionConfigFile.load(configFile));
        } catch (RuntimeException e) {
            delegate.close();
            throw e;
        }
        log.info("encryption at rest from {}: {}", configFile, describe(transformer));
        if (reloadInterval.isZero()) {
            return new EncryptingStore(delegate, transformer, null);
        }
        ScheduledExecutorService reloader = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("encryption-config-reload").daemon().factory());
        EncryptingStore store = new EncryptingStore(delegate, transformer, reloader);
        long period = reloadInterval.toMillis();
        reloader.scheduleWithFixedDelay(() -> store.reloadIfChanged(configFile, last), period, period,
                TimeUnit.MILLISECONDS);
        return store;
    }

    private void reloadIfChanged(Path configFile, AtomicReference<FileState> last) {
        FileState now = FileState.of(configFile);
        if (now.equals(last.get())) {
            return;
        }
        last.set(now);
        try {
            ValueTransformer reloaded = ValueTransformer.of(EncryptionConfigFile.load(configFile));
            transformer.set(reloaded);
            log.info("encryption configuration {} changed: {}", configFile, describe(reloaded));
        } catch (RuntimeException e) {
            // as kube-apiserver's automatic reload: a broken file keeps the keys in use
            log.warn("encryption configuration {} changed but cannot be used, keeping the previous one: {}",
                    configFile, e.getMessage());
        }
    }

    private static String describe(ValueTransformer transformer) {
        StringBuilder text = new StringBuilder();
        for (EncryptionConfig.Rule rule : transformer.config().rules()) {
            if (!text.isEmpty()) {
                text.append("; ");
            }
            text.append(String.join(",", rule.resources())).append(" written ");
            text.append(rule.providers().getFirst() instanceof EncryptionConfig.AesGcmProvider aes
                    ? "with aesgcm key '" + aes.keys().getFirst().name() + "'" : "unencrypted (identity first)");
        }
        return text.toString();
    }

    /** The backend the values are stored in, as they are stored. */
    public Store delegate() {
        return delegate;
    }

    /** The configuration in use now. */
    public EncryptionConfig config() {
        return transformer.get().config();
    }

    private KeyValue open(KeyValue kv) {
        try {
            byte[] plaintext = transformer.get().fromStored(kv.key(), kv.value());
            return plaintext == kv.value() ? kv : new KeyValue(kv.key(), plaintext, kv.createRevision(), kv.modRevision());
        } catch (ValueTransformer.UndecryptableValueException e) {
            log.warn("{}", e.getMessage());
            throw ApiException.internal(e.getMessage());
        }
    }

    private @Nullable KeyValue openNullable(@Nullable KeyValue kv) {
        return kv == null ? null : open(kv);
    }

    private static KeyValue withValue(KeyValue stored, byte[] plaintext) {
        return new KeyValue(stored.key(), plaintext, stored.createRevision(), stored.modRevision());
    }

    @Override
    public Optional<KeyValue> get(String key) {
        return delegate.get(key).map(this::open);
    }

    @Override
    public ListResult list(String prefix, long revision, int limit, @Nullable String continueAfterKey) {
        ListResult result = delegate.list(prefix, revision, limit, continueAfterKey);
        List<KeyValue> items = result.items().stream().map(this::open).toList();
        return new ListResult(items, result.revision(), result.continueAfterKey());
    }

    @Override
    public long count(String prefix) {
        return delegate.count(prefix);
    }

    @Override
    public KeyValue create(String key, byte[] value) {
        return withValue(delegate.create(key, transformer.get().toStored(key, value)), value);
    }

    @Override
    public KeyValue update(String key, long expectedRevision, byte[] value) {
        return withValue(delegate.update(key, expectedRevision, transformer.get().toStored(key, value)), value);
    }

    @Override
    public KeyValue delete(String key, long expectedRevision) {
        return open(delegate.delete(key, expectedRevision));
    }

    @Override
    public Flux<WatchEvent> watch(String prefix, long afterRevision) {
        return delegate.watch(prefix, afterRevision)
                .map(event -> new WatchEvent(event.type(), open(event.kv()), openNullable(event.previous())));
    }

    @Override
    public void compact(long revision) {
        delegate.compact(revision);
    }

    @Override
    public long currentRevision() {
        return delegate.currentRevision();
    }

    @Override
    public long compactedRevision() {
        return delegate.compactedRevision();
    }

    @Override
    public void close() {
        if (reloader != null) {
            reloader.shutdownNow();
        }
        delegate.close();
    }

    /** What tells a changed file apart: its modification time and size ({@code absent} while it is missing). */
    private record FileState(long modifiedNanos, long size, boolean present) {
        static FileState of(Path file) {
            try {
                BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                return new FileState(attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS), attributes.size(), true);
            } catch (IOException e) {
                return new FileState(0, 0, false);
            }
        }
    }
}
