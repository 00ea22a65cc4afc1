package io.platform.common.reconcile;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * What a reconcile asks of the queue. Failures are not results: throw to retry with rate-limited
 * back-off, or throw {@link TerminalReconcileException} to give up on the key until it changes.
 */
public record Result(Kind kind, @Nullable Duration delay) {

    public enum Kind {
        /** Nothing more to do until the key changes; the key's back-off is reset. */
        DONE,
        /** Look again after the key's rate-limited back-off, without treating it as an error. */
        REQUEUE,
        /** Look again after a fixed delay; the key's back-off is reset. */
        REQUEUE_AFTER
    }

    private static final Result DONE = new Result(Kind.DONE, null);
    private static final Result REQUEUE = new Result(Kind.REQUEUE, null);

    public static Result done() {
        return DONE;
    }

    public static Result requeue() {
        return REQUEUE;
    }

    public static Result requeueAfter(Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("requeue delay must not be negative: " + delay);
        }
        return new Result(Kind.REQUEUE_AFTER, delay);
    }

    /** The earlier of two requeues, for reconcilers that compute several reasons to come back. */
    public Result orSooner(Result other) {
        if (kind == Kind.DONE) {
            return other;
        }
        if (other.kind == Kind.DONE) {
            return this;
        }
        if (kind == Kind.REQUEUE || other.kind == Kind.REQUEUE) {
            return REQUEUE;
        }
        return delay.compareTo(other.delay) <= 0 ? this : other;
    }
}
