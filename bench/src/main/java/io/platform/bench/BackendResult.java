package io.platform.bench;

/** What the harness found for one backend: both phases measured, or why not. */
sealed interface BackendResult {

    Backend backend();

    /** Both phases ran. */
    record Measured(Backend backend, Measurement store, Measurement api) implements BackendResult {

        /** API creates per second as a percentage of raw store writes per second. */
        double apiPercentOfStore() {
            return store.perSecond() == 0 ? 0 : 100 * api.perSecond() / store.perSecond();
        }
    }

    /** The backend's binaries are not installed. */
    record Skipped(Backend backend, String reason) implements BackendResult {}

    /** Starting the backend or a phase failed. */
    record Failed(Backend backend, String reason) implements BackendResult {}
}
