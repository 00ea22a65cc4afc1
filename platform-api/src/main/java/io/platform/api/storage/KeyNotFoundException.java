package io.platform.api.storage;

public final class KeyNotFoundException extends StoreException {
    public KeyNotFoundException(String key) {
        super("key not found: " + key);
    }
}
