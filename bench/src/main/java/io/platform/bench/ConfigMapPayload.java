package io.platform.bench;

import io.platform.api.registry.BuiltinResources;
import java.nio.charset.StandardCharsets;

/**
 * The ConfigMap both phases write, its JSON padded to about the configured size: the raw store phase stores it
 * under the key the API server would use, the API phase POSTs it.
 */
final class ConfigMapPayload {

    static final String NAMESPACE = "bench";
    private static final String KEY_PREFIX =
            BuiltinResources.find("", "v1", "configmaps").orElseThrow().keyPrefix() + NAMESPACE + "/";

    private final String filler;

    ConfigMapPayload(int size) {
        int frame = json(name(0, 0, 0), "").length;
        this.filler = "x".repeat(Math.max(0, size - frame));
    }

    /** The name of a worker's {@code sequence}-th ConfigMap in a store's {@code round}-th measurement. */
    static String name(int round, int worker, long sequence) {
        return "cm-" + round + "-" + worker + "-" + sequence;
    }

    byte[] json(String name) {
        return json(name, filler);
    }

    String storeKey(String name) {
        return KEY_PREFIX + name;
    }

    private static byte[] json(String name, String filler) {
        return ("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name
                + "\",\"namespace\":\"" + NAMESPACE + "\"},\"data\":{\"payload\":\"" + filler + "\"}}")
                .getBytes(StandardCharsets.UTF_8);
    }
}
