package io.platform.api.cache;

import io.platform.api.storage.CompactedException;
import io.platform.api.storage.KeyValue;
import io.platform.api.storage.ListResult;
import io.platform.api.storage.Store;
import io.platform.api.storage.WatchEvent;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * A store that counts its {@code list} calls, and whose watches can be made to fail as if
 * compaction had overtaken them.
 */
final class CountingStore implements Store {

    private final Store delegate;
    private final AtomicInteger lists = new AtomicInteger();
    private volatile Sinks.Empty<WatchEvent> overtaken = Sinks.empty();

    CountingStore(Store delegate) {
        this.delegate = delegate;
    }

    int lists() {
        return lists.get();
    }

    /** Ends every open watch with {@link CompactedException}; watches opened later run normally. */
    void overtakeWatches() {
        Sinks.Empty<WatchEvent> current = overtaken;
        overtaken = Sinks.empty();
        long revision = delegate.currentRevision();
        current.tryEmitError(new CompactedException(revision, revision));
    }

    @Override
    public Optional<KeyValue> get(String key) {
        return delegate.get(key);
    }

    @Override
    public ListResult list(String prefix, long revision, int limit, @Nullable String continueAfterKey) {
        lists.incrementAndGet();
        return delegate.list(prefix, revision, limit, continueAfterKey);
    }

    @Override
    public long count(String prefix) {
        return delegate.count(prefix);
    }

    @Override
    public KeyValue create(String key, byte[] value) {
        return delegate.create(key, value);
    }

    @Override
    public KeyValue update(String key, long expectedRevision, byte[] value) {
        return delegate.update(key, expectedRevision, value);
    }

    @Override
    public KeyValue delete(String key, long expectedRevision) {
        return delegate.delete(key, expectedRevision);
    }

    @Override
    public Flux<WatchEvent> watch(String prefix, long afterRevision) {
        return delegate.watch(prefix, afterRevision).mergeWith(overtaken.asMono().flux());
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
        delegate.close();
    }
}
