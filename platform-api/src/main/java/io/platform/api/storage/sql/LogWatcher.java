package io.platform.api.storage.sql;

import io.platform.api.storage.CompactedException;
import io.platform.api.storage.WatchEvent;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.FluxSink;
import reactor.core.scheduler.Scheduler;

/**
 * One subscriber of {@code watch}. It is either <em>live</em>, fed by the {@link LogTailer} into a
 * bounded buffer, or <em>replaying</em>, reading the log itself one page at a time as the
 * subscriber asks for more. A watcher starts replaying from its start revision and goes live once
 * it has caught up with the tailer; when its buffer is full it drops back to replaying, so a slow
 * subscriber holds at most one buffer of events and never slows the tailer or the writers. It
 * ends with {@link CompactedException} only when compaction removed revisions it has yet to read.
 * {@code position} is the highest revision it has accounted for, so nothing is read twice or skipped.
 */
final class LogWatcher {

    private static final Logger log = LoggerFactory.getLogger(LogWatcher.class);

    private final KeyRange range;
    private final int capacity;
    private final LogTailer tailer;
    private final FluxSink<WatchEvent> sink;
    private final Scheduler scheduler;
    private final AtomicInteger drainRequests = new AtomicInteger();
    private volatile boolean done;

    // guarded by this
    private final ArrayDeque<WatchEvent> buffer = new ArrayDeque<>();
    private long position;
    private boolean live;
    private @Nullable Throwable failure;

    LogWatcher(KeyRange range, long afterRevision, int capacity, LogTailer tailer, FluxSink<WatchEvent> sink,
            Scheduler scheduler) {
        this.range = range;
        this.position = afterRevision;
        this.capacity = capacity;
        this.tailer = tailer;
        this.sink = sink;
        this.scheduler = scheduler;
    }

    /**
     * A committed row, offered by the tailer in revision order while it holds its dispatch lock.
     *
     * @return true when the watcher has something new to deliver
     */
    synchronized boolean offer(LogRow row) {
        if (!live || row.id() <= position) {
            return false;
        }
        if (!range.contains(row.name())) {
            position = row.id();
            return false;
        }
        if (buffer.size() >= capacity) {
            live = false;
            log.debug("watch on {} fell {} events behind at revision {}; it reads the log at its own pace",
                    range.prefix(), capacity, position);
            return false;
        }
        buffer.add(row.event());
        position = row.id();
        return true;
    }

    /** Goes live when it has read everything the tailer has dispatched; called under the dispatch lock. */
    synchronized boolean goLiveIfCaughtUp(long dispatched) {
        if (position >= dispatched) {
            live = true;
        }
        return live;
    }

    /** Compaction to {@code compacted} removed history the tailer had not read: fail when behind it. */
    synchronized boolean failIfBehind(long compacted) {
        if (position < compacted && failure == null) {
            failure = new CompactedException(position, compacted);
            return true;
        }
        return false;
    }

    /** Delivers what the subscriber asked for, off the caller's thread; repeated calls coalesce. */
    void drain() {
        if (drainRequests.getAndIncrement() == 0) {
            scheduler.schedule(this::drainLoop);
        }
    }

    /** The subscriber cancelled or the Flux terminated. */
    void dispose() {
        done = true;
        tailer.remove(this);
    }

    /** The store is closing. */
    void complete() {
        done = true;
        sink.complete();
    }

    private void drainLoop() {
        int missed = 1;
        do {
            drainOnce();
            missed = drainRequests.addAndGet(-missed);
        } while (missed != 0);
    }

    private void drainOnce() {
        while (!done) {
            WatchEvent next = null;
            Throwable failed;
            boolean replaying;
            synchronized (this) {
                failed = failure;
                if (failed == null && sink.requestedFromDownstream() > 0) {
                    next = buffer.poll();
                }
                replaying = !live && buffer.isEmpty();
            }
            if (failed != null) {
                done = true;
                sink.error(failed);
                return;
            }
            if (next != null) {
                sink.next(next);
                continue;
            }
            if (!replaying || sink.requestedFromDownstream() == 0) {
                return;
            }
            replayPage();
        }
    }

    /** Reads the next page of the log up to what the tailer has dispatched, or goes live. */
    private void replayPage() {
        long dispatched = tailer.dispatched();
        long from;
        synchronized (this) {
            from = position;
        }
        if (from >= dispatched) {
            // false when the tailer moved on meanwhile: the next round reads what it dispatched
            tailer.tryGoLive(this);
            return;
        }
        LogTailer.Page page;
        try {
            page = tailer.changes(range, from, dispatched, capacity);
        } catch (RuntimeException e) {
            synchronized (this) {
                failure = e;
            }
            return;
        }
        synchronized (this) {
            if (page.compacted() > from) {
                failure = new CompactedException(from, page.compacted());
                return;
            }
            for (LogRow row : page.rows()) {
                buffer.add(row.event());
            }
            position = page.rows().size() < capacity ? dispatched : page.rows().getLast().id();
        }
    }
}
