package io.platform.api.storage;

/** A store operation that could not be done as asked; the API maps each subtype to a Status. */
public abstract sealed class StoreException extends RuntimeException
        permits KeyExistsException, KeyNotFoundException, RevisionConflictException, CompactedException {

    protected StoreException(String message) {
        super(message, null, false, false);
    }
}
