package io.platform.bench;

/** A running backend that hands out empty stores, so each phase starts from an empty one. */
interface StoreServer extends AutoCloseable {

    /** The {@code platform.api.storage.url} of a new, empty store. */
    String newStore();

    /** Stops the backend and deletes every store it handed out. */
    @Override
    void close();
}
