package io.platform.api.storage;

public final class RevisionConflictException extends StoreException {
    private final long currentRevision;

    public RevisionConflictException(String key, long expected, long currentRevision) {
        super("key " + key + " is at revision " + currentRevision + ", not " + expected);
        this.currentRevision = currentRevision;
    }

    public long currentRevision() {
        return currentRevision;
    }
}
