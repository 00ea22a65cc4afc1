package io.platform.api.authorization;

import io.platform.api.storage.CompactedException;
import io.platform.api.storage.KeyValue;
import io.platform.api.storage.ListResult;
import io.platform.api.storage.Store;
import io.platform.api.storage.WatchEvent;
import io.platform.api.watch.WatchHub;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.scheduler.Schedulers;

/**
 * Keeps an in-memory view of the keys under one prefix current, as an informer does inside the API server: one
 * list of the store, then every change after that list's revision from the {@link WatchHub}; when the watch fails
 * (compaction overtook it) it lists again. The authorizers read the view they build from it without ever touching
 * the store on a request.
 */
public final class StoreFeed implements AutoCloseable {

    /** Receives the list and then each change, one at a time, in revision order. */
    public interface Listener {

        /** Everything under the prefix, replacing what the listener held. */
        void replace(List<KeyValue> items);

        void apply(WatchEvent event);
    }

    private static final Logger log = LoggerFactory.getLogger(StoreFeed.class);
    private static final Duration RETRY = Duration.ofMillis(500);

    private final Store store;
    private final WatchHub hub;
    private final String prefix;
    private final Listener listener;
    private final Object lock = new Object();
    private @Nullable Disposable subscription;
    private boolean closed;

    public StoreFeed(Store store, WatchHub hub, String prefix, Listener listener) {
        this.store = store;
        this.hub = hub;
        this.prefix = prefix;
        this.listener = listener;
    }

    /** Lists the prefix (the listener holds it when this returns) and starts following its changes. */
    public void start() {
        synchronized (lock) {
            if (closed) {
                return;
            }
        }
        ListResult all = store.list(prefix, 0, 0, null);
        listener.replace(all.items());
        follow(all.revision());
    }

    private void follow(long afterRevision) {
        synchronized (lock) {
            if (closed) {
                return;
            }
            subscription = hub.watch(prefix, afterRevision).subscribe(this::deliver, this::restart);
        }
    }

    private void deliver(WatchEvent event) {
        try {
            listener.apply(event);
        } catch (RuntimeException e) {
            log.warn("could not apply the change of {} at revision {}: {}", event.kv().key(), event.revision(),
                    e.toString());
        }
    }

    private void restart(Throwable error) {
        if (error instanceof CompactedException) {
            log.info("watch of {} fell behind compaction; listing again", prefix);
        } else {
            log.warn("watch of {} failed, listing again: {}", prefix, error.toString());
        }
        Schedulers.boundedElastic().schedule(() -> {
            try {
                start();
            } catch (RuntimeException e) {
                restart(e);
            }
        }, RETRY.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            if (subscription != null) {
                subscription.dispose();
            }
        }
    }
}
