package io.platform.common.reconcile;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Lets a component (controller manager, scheduler) stop without its workers racing the client's close: once the gate is
 * closed, reconciles that have not begun return at once, and {@link #close} waits for the ones
 * already running to finish, so no request is sent on a closed client.
 */
public final class ReconcileGate {

    private final Object lock = new Object();
    private int running;
    private boolean closed;

    /** The reconciler, run only while the gate is open. */
    public Reconciler guard(Reconciler reconciler) {
        return key -> {
            synchronized (lock) {
                if (closed) {
                    return Result.done();
                }
                running++;
            }
            try {
                return reconciler.reconcile(key);
            } finally {
                synchronized (lock) {
                    running--;
                    lock.notifyAll();
                }
            }
        };
    }

    /**
     * Closes the gate and waits up to {@code timeout} for running reconciles.
     *
     * @return whether every running reconcile finished in time
     */
    public boolean close(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            closed = true;
            while (running > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }
}
