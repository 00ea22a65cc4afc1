package io.platform.api.storage;

import java.util.Optional;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;

/**
 * The narrow storage SPI the API server is built on (the kine/etcd shape). Keys look like
 * {@code /registry/{resource}/{namespace}/{name}}; values are the object's JSON bytes. Every write
 * gets the next value of one global, strictly rising revision, which the API exposes as
 * {@code resourceVersion}.
 */
public interface Store extends AutoCloseable {

    /** The latest value of a key, or empty when absent (never created or deleted). */
    Optional<KeyValue> get(String key);

    /**
     * Keys under {@code prefix} as they were at {@code revision} (0 = the latest), in key order,
     * starting after {@code continueAfterKey} when given, at most {@code limit} items (0 = all).
     *
     * @throws CompactedException when {@code revision} is older than the compacted revision
     */
    ListResult list(String prefix, long revision, int limit, @Nullable String continueAfterKey);

    /** How many live keys are under {@code prefix}. */
    long count(String prefix);

    /**
     * Creates a key that does not exist.
     *
     * @throws KeyExistsException when the key already exists
     */
    KeyValue create(String key, byte[] value);

    /**
     * Replaces a key whose current modification revision is {@code expectedRevision}; 0 replaces
     * whatever revision is current (an unconditional update).
     *
     * @throws KeyNotFoundException when the key does not exist
     * @throws RevisionConflictException when the key was changed since {@code expectedRevision}
     */
    KeyValue update(String key, long expectedRevision, byte[] value);

    /**
     * Deletes a key; {@code expectedRevision} 0 deletes whatever revision is current.
     *
     * @return the value that was deleted, with the revision of the deletion as modRevision
     * @throws KeyNotFoundException when the key does not exist
     * @throws RevisionConflictException when the key was changed since {@code expectedRevision}
     */
    KeyValue delete(String key, long expectedRevision);

    /**
     * Every change under {@code prefix} with a revision greater than {@code afterRevision}, in
     * revision order, without gaps or duplicates, until the subscriber cancels. Signals
     * {@link CompactedException} when {@code afterRevision} is older than the compacted revision.
     */
    Flux<WatchEvent> watch(String prefix, long afterRevision);

    /** Drops history at and below {@code revision}, keeping every key's latest value. */
    void compact(long revision);

    /** The revision of the latest write (0 for an empty store). */
    long currentRevision();

    /** The oldest revision still readable by list and watch. */
    long compactedRevision();

    @Override
    void close();
}
