package io.platform.controllers.deployment;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The {@code pod-template-hash} of a Deployment's template, as kube-controller-manager's
 * ComputeHash: FNV-32a over the template (plus the collision count, when set), rendered as its
 * decimal digits mapped onto the safe alphabet. We hash the template's canonical JSON (keys sorted)
 * instead of Go's printed struct, so values differ from upstream but are stable across restarts.
 */
public final class PodTemplateHash {

    public static final String LABEL = "pod-template-hash";
    private static final String SAFE_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

    private final KubernetesSerialization serialization;

    public PodTemplateHash(KubernetesSerialization serialization) {
        this.serialization = serialization;
    }

    public String compute(PodTemplateSpec template, @Nullable Integer collisionCount) {
        int hash = 0x811c9dc5;
        hash = fnv32a(hash, canonicalJson(template).getBytes(StandardCharsets.UTF_8));
        if (collisionCount != null) {
            hash = fnv32a(hash, Integer.toString(collisionCount).getBytes(StandardCharsets.UTF_8));
        }
        return safeEncode(Integer.toUnsignedString(hash));
    }

    /** Whether two templates are the same once the hash label is ignored, as EqualIgnoreHash. */
    public boolean equalIgnoringHash(PodTemplateSpec a, PodTemplateSpec b) {
        return canonicalJson(withoutHash(a)).equals(canonicalJson(withoutHash(b)));
    }

    private PodTemplateSpec withoutHash(PodTemplateSpec template) {
        PodTemplateSpec copy = serialization.clone(template);
        if (copy.getMetadata() != null && copy.getMetadata().getLabels() != null) {
            copy.getMetadata().getLabels().remove(LABEL);
            if (copy.getMetadata().getLabels().isEmpty()) {
                copy.getMetadata().setLabels(null);
            }
        }
        return copy;
    }

    String canonicalJson(Object value) {
        return serialization.asJson(sorted(serialization.convertValue(value, Object.class)));
    }

    private static Object sorted(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> result = new TreeMap<>();
            map.forEach((k, v) -> {
                if (v != null) {
                    result.put(String.valueOf(k), sorted(v));
                }
            });
            return result;
        }
        if (value instanceof List<?> list) {
            List<Object> result = new ArrayList<>();
            list.forEach(item -> result.add(sorted(item)));
            return result;
        }
        return value;
    }

    private static int fnv32a(int hash, byte[] bytes) {
        for (byte b : bytes) {
            hash ^= b & 0xff;
            hash *= 0x01000193;
        }
        return hash;
    }

    static String safeEncode(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (char c : value.toCharArray()) {
            out.append(SAFE_ALPHABET.charAt(c % SAFE_ALPHABET.length()));
        }
        return out.toString();
    }
}
