package io.platform.common.reconcile;

/**
 * Drives the object named by a key toward its desired state, reading current state from informer
 * caches and writing through the API. Called by at most one worker at a time for a given key.
 */
@FunctionalInterface
public interface Reconciler {

    /**
     * @return what the queue should do next with the key
     * @throws Exception to retry the key with rate-limited back-off
     */
    Result reconcile(ObjectKey key) throws Exception;
}
