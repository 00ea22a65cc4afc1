package io.platform.api.storage;

public final class KeyExistsException extends StoreException {
    public KeyExistsException(String key) {
        super("key exists: " + key);
    }
}
