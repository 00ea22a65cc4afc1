package io.platform.api.storage.etcd;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchResponse;
import io.platform.api.storage.CompactedException;
import io.platform.api.storage.KeyValue;
import io.platform.api.storage.WatchEvent;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.FluxSink;
import reactor.core.scheduler.Scheduler;

/**
 * One subscriber of {@code watch} on etcd. etcd pushes events as fast as it can; this holds at most
 * {@code capacity} of them. When the buffer is full it cancels etcd's watch and, once the
 * subscriber has drained half of it, opens a new one from the revision after the last event it
 * kept, so a slow subscriber costs neither memory nor etcd's patience and misses nothing.
 * {@code position} is the revision of the last event kept; anything at or below it that etcd sends
 * again (after a resume, or jetcd's own reconnect) is dropped, so each event arrives once and in order.
 * Every write of the store is one key per revision, which is what makes a revision a position.
 */
final class EtcdWatcher {

    private static final Logger log = LoggerFactory.getLogger(EtcdWatcher.class);

    private final Watch client;
    private final ByteSequence key;
    private final ByteSequence rangeEnd;
    private final int capacity;
    private final FluxSink<WatchEvent> sink;
    private final Scheduler scheduler;
    private final LongConsumer compactedTo;
    private final AtomicInteger drainRequests = new AtomicInteger();
    private volatile boolean done;

    // guarded by this
    private final ArrayDeque<WatchEvent> buffer = new ArrayDeque<>();
    private long position;
    private Watch.@Nullable Watcher current;
    private int generation;
    private @Nullable Throwable failure;

    EtcdWatcher(Watch client, ByteSequence key, ByteSequence rangeEnd, long afterRevision, int capacity,
            FluxSink<WatchEvent> sink, Scheduler scheduler, LongConsumer compactedTo) {
        this.client = client;
        this.key = key;
        this.rangeEnd = rangeEnd;
        this.position = afterRevision;
        this.capacity = capacity;
        this.sink = sink;
        this.scheduler = scheduler;
        this.compactedTo = compactedTo;
    }

    /** Opens etcd's watch, unless a first request has opened it already. */
    synchronized void start() {
        if (current == null && failure == null && !done) {
            resume();
        }
    }

    /** Opens etcd's watch from the revision after {@code position}; responses of older watches are ignored. */
    private void resume() {
        int watch = ++generation;
        WatchOption option = WatchOption.builder()
                .withRange(rangeEnd)
                .withRevision(position + 1)
                .withPrevKV(true)
                // a member that loses its leader ends the watch, and jetcd resumes it on another member
                .withRequireLeader(true)
                .build();
        current = client.watch(key, option, new Watch.Listener() {
            @Override
            public void onNext(WatchResponse response) {
                received(watch, response);
            }

            @Override
            public void onError(Throwable error) {
                failed(watch, error);
            }

            @Override
            public void onCompleted() {
                // ends only when closed: by this watcher (pause or dispose) or by the store's close
            }
        });
    }

    private void received(int watch, WatchResponse response) {
        boolean added = false;
        synchronized (this) {
            if (watch != generation || current == null || done) {
                return;
            }
            for (io.etcd.jetcd.watch.WatchEvent event : response.getEvents()) {
                long revision = event.getKeyValue().getModRevision();
                if (revision <= position) {
                    continue;
                }
                if (buffer.size() >= capacity) {
                    log.debug("watch fell {} events behind at revision {}; it resumes when its subscriber catches up",
                            capacity, position);
                    pause();
                    break;
                }
                buffer.add(event(event));
                position = revision;
                added = true;
            }
        }
        if (added) {
            drain();
        }
    }

    private void failed(int watch, Throwable error) {
        synchronized (this) {
            if (watch != generation || done) {
                return;
            }
            current = null;
            if (error instanceof io.etcd.jetcd.common.exception.CompactedException compacted) {
                compactedTo.accept(compacted.getCompactedRevision());
                failure = new CompactedException(position, compacted.getCompactedRevision());
            } else {
                failure = error;
            }
        }
        drain();
    }

    /** Stops etcd's watch; events after {@code position} are read again on resume. */
    private void pause() {
        Watch.Watcher watcher = current;
        current = null;
        generation++;
        if (watcher != null) {
            watcher.close();
        }
    }

    /** Delivers what the subscriber asked for, off the caller's thread; repeated calls coalesce. */
    void drain() {
        if (drainRequests.getAndIncrement() == 0) {
            scheduler.schedule(this::drainLoop);
        }
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
            Throwable failed = null;
            synchronized (this) {
                if (sink.requestedFromDownstream() > 0) {
                    next = buffer.poll();
                }
                if (next == null && buffer.isEmpty()) {
                    failed = failure;
                }
                if (current == null && failure == null && !done && buffer.size() <= capacity / 2) {
                    resume();
                }
            }
            if (failed != null) {
                done = true;
                sink.error(failed);
                return;
            }
            if (next == null) {
                return;
            }
            sink.next(next);
        }
    }

    /** The subscriber cancelled or the Flux terminated. */
    synchronized void dispose() {
        done = true;
        pause();
    }

    /** The store is closing. */
    void complete() {
        dispose();
        sink.complete();
    }

    /**
     * etcd's event as the SPI has it: a put is a create when it made the key (its create revision
     * is its own); a delete carries the deleted value and create revision, at the deletion's revision.
     */
    private static WatchEvent event(io.etcd.jetcd.watch.WatchEvent event) {
        io.etcd.jetcd.KeyValue kv = event.getKeyValue();
        io.etcd.jetcd.KeyValue prev = event.getPrevKV();
        String name = kv.getKey().toString(UTF_8);
        // etcd leaves prevKv empty when the previous revision was compacted away meanwhile
        KeyValue previous = prev == null || prev.getModRevision() == 0 ? null
                : new KeyValue(name, prev.getValue().getBytes(), prev.getCreateRevision(), prev.getModRevision());
        if (event.getEventType() == io.etcd.jetcd.watch.WatchEvent.EventType.DELETE) {
            KeyValue deleted = new KeyValue(name, previous == null ? new byte[0] : previous.value(),
                    previous == null ? 0 : previous.createRevision(), kv.getModRevision());
            return new WatchEvent(WatchEvent.Type.DELETED, deleted, previous);
        }
        KeyValue value = new KeyValue(name, kv.getValue().getBytes(), kv.getCreateRevision(), kv.getModRevision());
        boolean created = kv.getCreateRevision() == kv.getModRevision();
        return new WatchEvent(created ? WatchEvent.Type.CREATED : WatchEvent.Type.UPDATED, value,
                created ? null : previous);
    }
}
