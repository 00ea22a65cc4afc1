package io.platform.common.reconcile;

/** Thrown by a reconciler for a failure that retrying cannot fix; the key is dropped until it changes. */
public class TerminalReconcileException extends RuntimeException {

    public TerminalReconcileException(String message) {
        super(message);
    }
}
