package io.platform.common.reconcile;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Creations and deletions a controller has asked for but not yet seen in its informer cache, as
 * kube-controller-manager's ControllerExpectations: while any are outstanding the controller must
 * not act on the cache again, or it would create or delete twice. Expectations older than the
 * timeout are treated as met, so a lost watch event cannot stall a controller forever.
 */
public final class Expectations {

    private final Clock clock;
    private final Duration timeout;
    private final ConcurrentMap<ObjectKey, Pending> pending = new ConcurrentHashMap<>();

    public Expectations(Clock clock, Duration timeout) {
        this.clock = clock;
        this.timeout = timeout;
    }

    private static final class Pending {
        private int creations;
        private final Set<ObjectKey> deletions = new HashSet<>();
        private final Instant since;

        private Pending(Instant since) {
            this.since = since;
        }
    }

    /** Whether the controller of the key may trust its cache again. */
    public boolean satisfied(ObjectKey controller) {
        Pending p = pending.get(controller);
        if (p == null) {
            return true;
        }
        synchronized (p) {
            if (p.creations <= 0 && p.deletions.isEmpty()) {
                return true;
            }
            return !clock.instant().isBefore(p.since.plus(timeout));
        }
    }

    /** Replaces any previous expectations with {@code count} creations. */
    public void expectCreations(ObjectKey controller, int count) {
        Pending p = new Pending(clock.instant());
        p.creations = count;
        pending.put(controller, p);
    }

    /** Replaces any previous expectations with the deletion of these objects. */
    public void expectDeletions(ObjectKey controller, Collection<ObjectKey> objects) {
        Pending p = new Pending(clock.instant());
        p.deletions.addAll(objects);
        pending.put(controller, p);
    }

    /** An object the controller created showed up in the cache, or a creation it expected failed. */
    public void creationObserved(ObjectKey controller) {
        Pending p = pending.get(controller);
        if (p != null) {
            synchronized (p) {
                p.creations--;
            }
        }
    }

    /** An object the controller deleted left the cache (or got a deletion timestamp), or its delete failed. */
    public void deletionObserved(ObjectKey controller, ObjectKey object) {
        Pending p = pending.get(controller);
        if (p != null) {
            synchronized (p) {
                p.deletions.remove(object);
            }
        }
    }

    /** Forgets the controller, when the object itself is gone. */
    public void delete(ObjectKey controller) {
        pending.remove(controller);
    }
}
