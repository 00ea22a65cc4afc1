package io.platform.api;

import io.platform.api.storage.Store;
import java.util.concurrent.atomic.AtomicBoolean;

/** Whether the API server can serve: the store answers and the default namespaces exist (readyz). */
public final class Readiness {

    private final Store store;
    private final AtomicBoolean namespacesReady = new AtomicBoolean();

    Readiness(Store store) {
        this.store = store;
    }

    void namespacesCreated() {
        namespacesReady.set(true);
    }

    /** Null when ready, else the reason, as the failing check of {@code /readyz?verbose}. */
    public @org.jspecify.annotations.Nullable String problem() {
        if (!namespacesReady.get()) {
            return "default namespaces not created yet";
        }
        try {
            store.currentRevision();
            return null;
        } catch (RuntimeException e) {
            return "store does not answer: " + e.getMessage();
        }
    }
}
