package io.platform.api.storage.compaction;

import io.platform.api.storage.KeyExistsException;
import io.platform.api.storage.KeyNotFoundException;
import io.platform.api.storage.KeyValue;
import io.platform.api.storage.RevisionConflictException;
import io.platform.api.storage.Store;
import io.platform.common.periodic.PeriodicTask;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compacts the store on a schedule, as kube-apiserver compacts etcd every 5 minutes, but keeping
 * every change of the last {@code retention}: each round it compacts up to the newest revision
 * known to be written before {@code now - retention}. Which revision is that old comes from a
 * {@link RevisionTimeline}: each round samples the store's current revision with the clock (revision
 * first, clock after, so the sample never claims a revision was older than it is) and saves the
 * samples in the store, so a restart or another API server on the same store continues from them.
 * History written before the first sample ever taken on a store counts as written at that sample's
 * time (a store migrated from elsewhere keeps its history one full retention window). A round saves
 * the samples only when something else was written since they were last saved, so an idle store
 * is never written to, and the first round after a start saves nothing, so starting an API server
 * never moves the revision.
 */
public final class HistoryCompactor implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HistoryCompactor.class);
    private static final int SAVE_ATTEMPTS = 3;

    private final Store store;
    private final Clock clock;
    private final Duration retention;
    private final RevisionTimeline timeline = new RevisionTimeline();
    private boolean firstRound = true;
    private volatile @Nullable PeriodicTask task;

    public HistoryCompactor(Store store, Clock clock, Duration retention) {
        if (retention.isNegative()) {
            throw new IllegalArgumentException("the history retention must not be negative, got " + retention);
        }
        this.store = store;
        this.clock = clock;
        this.retention = retention;
    }

    /** Runs a round now and then every {@code interval}. */
    public synchronized void start(Duration interval) {
        task = PeriodicTask.start("store-compaction", "platform.api.storage.compaction-interval", interval, this::round);
        log.info("compacting the store every {}, keeping {} of history", interval, retention);
    }

    /**
     * One round: samples the current revision, compacts up to the newest revision older than the
     * retention window when that moves the compacted revision, and saves the samples.
     *
     * @return the revision compacted to, when this round compacted
     */
    public synchronized OptionalLong round() {
        long current = store.currentRevision();
        Instant now = clock.instant();
        Optional<KeyValue> saved = store.get(RevisionTimeline.KEY);
        saved.ifPresent(kv -> timeline.merge(RevisionTimeline.decode(kv.value())));
        // when the saved samples are the newest write, nothing but samples changed since they were taken
        boolean othersWrote = saved.map(kv -> kv.modRevision() != current).orElse(current > 0);
        boolean sampled = othersWrote && timeline.record(current, now);

        long compacted = store.compactedRevision();
        Instant cutoff = now.minus(retention);
        OptionalLong target = timeline.newestAtOrBefore(cutoff);
        OptionalLong result = OptionalLong.empty();
        if (target.isPresent() && target.getAsLong() > compacted) {
            store.compact(target.getAsLong());
            log.info("compacted the store to revision {}: {} revisions of history from before {} dropped",
                    target.getAsLong(), target.getAsLong() - compacted, cutoff);
            compacted = target.getAsLong();
            result = target;
        }
        timeline.forgetThrough(compacted);
        if (sampled && !firstRound) {
            save(saved);
        }
        firstRound = false;
        return result;
    }

    /** Writes the samples with a compare-and-swap, merging what another API server saved meanwhile. */
    private void save(Optional<KeyValue> read) {
        Optional<KeyValue> saved = read;
        for (int attempt = 1; attempt <= SAVE_ATTEMPTS; attempt++) {
            try {
                byte[] value = timeline.encode();
                if (saved.isEmpty()) {
                    store.create(RevisionTimeline.KEY, value);
                } else {
                    store.update(RevisionTimeline.KEY, saved.get().modRevision(), value);
                }
                return;
            } catch (KeyExistsException | KeyNotFoundException | RevisionConflictException e) {
                saved = store.get(RevisionTimeline.KEY);
                saved.ifPresent(kv -> timeline.merge(RevisionTimeline.decode(kv.value())));
                timeline.forgetThrough(store.compactedRevision());
            }
        }
        log.debug("revision samples not saved: another API server kept saving its own; the next round retries");
    }

    /** The samples this compactor knows of. */
    public synchronized List<RevisionTimeline.Sample> samples() {
        return timeline.samples();
    }

    @Override
    public void close() {
        // not under this object's lock: a run under way takes it, and close waits for that run
        PeriodicTask running = task;
        if (running != null) {
            running.close();
        }
    }
}
