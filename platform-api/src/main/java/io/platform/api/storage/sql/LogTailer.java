package io.platform.api.storage.sql;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the log for watch: one thread reads new rows in revision order, woken by this process's
 * commits and otherwise every poll interval (to see other processes' writes on the same database), and
 * hands each row to every live {@link LogWatcher}; PostgreSQL's notifications wake it too. Reads woken by commits
 * are at least the read interval apart, so a burst of commits costs one query, not one each.
 * {@code dispatched} is the revision up to which every row has been handed out. A missing id is waited for (another writer's transaction may
 * still commit it) and skipped only after the gap timeout, so no committed row is ever passed over.
 */
final class LogTailer implements AutoCloseable {

    /** The rows a watcher or the tailer read, and the compacted revision of the same snapshot. */
    record Page(List<LogRow> rows, long compacted) {}

    private static final Logger log = LoggerFactory.getLogger(LogTailer.class);
    private static final int BATCH = 500;

    private final SqlDatabase database;
    private final long pollNanos;
    private final Duration gapTimeout;
    private final long readIntervalNanos;
    private final ReentrantLock dispatchLock = new ReentrantLock();
    private final Condition advanced = dispatchLock.newCondition();
    private final List<LogWatcher> watchers = new CopyOnWriteArrayList<>();
    private final AtomicBoolean signalled = new AtomicBoolean();
    private final Thread thread;
    private volatile long dispatched;
    private volatile boolean running = true;

    // tailer thread only
    private long gapAt = -1;
    private long gapSince;
    private boolean failing;

    LogTailer(SqlDatabase database, long startRevision, Duration pollInterval, Duration gapTimeout,
            Duration readInterval) {
        this.database = database;
        this.dispatched = startRevision;
        this.pollNanos = pollInterval.toNanos();
        this.gapTimeout = gapTimeout;
        this.readIntervalNanos = readInterval.toNanos();
        this.thread = Thread.ofPlatform().daemon().name("sql-store-tailer").unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    /** A write committed in this process: read it now rather than at the next poll. */
    void signal() {
        signalled.set(true);
        LockSupport.unpark(thread);
    }

    long dispatched() {
        return dispatched;
    }

    void add(LogWatcher watcher) {
        watchers.add(watcher);
    }

    void remove(LogWatcher watcher) {
        watchers.remove(watcher);
    }

    boolean tryGoLive(LogWatcher watcher) {
        dispatchLock.lock();
        try {
            return watcher.goLiveIfCaughtUp(dispatched);
        } finally {
            dispatchLock.unlock();
        }
    }

    /** Waits until every row up to {@code revision} has been dispatched; false on timeout. */
    boolean awaitDispatched(long revision, Duration timeout) throws InterruptedException {
        signal();
        dispatchLock.lock();
        try {
            long nanos = timeout.toNanos();
            while (dispatched < revision && nanos > 0) {
                nanos = advanced.awaitNanos(nanos);
            }
            return dispatched >= revision;
        } finally {
            dispatchLock.unlock();
        }
    }

    /** Rows with {@code after < id <= upTo} under the range (null = all), in one snapshot. */
    Page changes(@Nullable KeyRange range, long after, long upTo, int limit) {
        return database.read(connection -> {
            long compacted = LogTable.compactedRevision(connection);
            return new Page(LogTable.changes(connection, range, after, upTo, limit), compacted);
        });
    }

    private void run() {
        long lastRead = System.nanoTime() - readIntervalNanos;
        while (running) {
            long sinceLastRead = System.nanoTime() - lastRead;
            if (sinceLastRead < readIntervalNanos) {
                LockSupport.parkNanos(this, readIntervalNanos - sinceLastRead);
                continue;
            }
            signalled.set(false);
            lastRead = System.nanoTime();
            long waitNanos = pollNanos;
            try {
                long retryNanos = step();
                if (failing) {
                    log.info("watch reads the store log again");
                    failing = false;
                }
                if (retryNanos == 0) {
                    continue;
                }
                if (retryNanos > 0) {
                    waitNanos = Math.min(waitNanos, retryNanos);
                }
            } catch (RuntimeException e) {
                if (!failing) {
                    log.warn("watch cannot read the store log, retrying every poll interval: {}", e.getMessage());
                    failing = true;
                }
            }
            if (running && !signalled.get()) {
                LockSupport.parkNanos(this, waitNanos);
            }
        }
    }

    /**
     * Reads and dispatches one batch. Returns 0 to read again at once, a positive time to wait for
     * a gap to fill, or -1 when caught up.
     */
    private long step() {
        long from = dispatched;
        Page page = changes(null, from, Long.MAX_VALUE, BATCH);
        if (page.compacted() > from) {
            skipCompacted(page.compacted());
            return 0;
        }
        List<LogRow> ready = new ArrayList<>(page.rows().size());
        long expected = from + 1;
        long retryNanos = -1;
        for (LogRow row : page.rows()) {
            if (row.id() != expected) {
                long now = System.nanoTime();
                if (gapAt != expected) {
                    gapAt = expected;
                    gapSince = now;
                }
                long waited = now - gapSince;
                if (waited < gapTimeout.toNanos()) {
                    retryNanos = Math.max(1, gapTimeout.toNanos() - waited);
                    break;
                }
                log.warn("watch skips revisions {} to {}: not committed within {}", expected, row.id() - 1,
                        gapTimeout);
            }
            ready.add(row);
            expected = row.id() + 1;
        }
        dispatch(ready);
        if (retryNanos > 0) {
            return retryNanos;
        }
        return page.rows().size() == BATCH ? 0 : -1;
    }

    private void dispatch(List<LogRow> rows) {
        if (rows.isEmpty()) {
            return;
        }
        Set<LogWatcher> woken = new LinkedHashSet<>();
        dispatchLock.lock();
        try {
            for (LogRow row : rows) {
                for (LogWatcher watcher : watchers) {
                    if (watcher.offer(row)) {
                        woken.add(watcher);
                    }
                }
                dispatched = row.id();
            }
            advanced.signalAll();
        } finally {
            dispatchLock.unlock();
        }
        woken.forEach(LogWatcher::drain);
    }

    /** Another process compacted history this tailer had not read yet: its watchers cannot go on. */
    private void skipCompacted(long compacted) {
        log.warn("the store was compacted to revision {} before watch read revisions {} to {};"
                + " watchers behind it end with CompactedException", compacted, dispatched + 1, compacted);
        List<LogWatcher> failed = new ArrayList<>();
        dispatchLock.lock();
        try {
            for (LogWatcher watcher : watchers) {
                if (watcher.failIfBehind(compacted)) {
                    failed.add(watcher);
                }
            }
            dispatched = compacted;
            advanced.signalAll();
        } finally {
            dispatchLock.unlock();
        }
        failed.forEach(LogWatcher::drain);
    }

    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        watchers.forEach(LogWatcher::complete);
        watchers.clear();
    }
}
