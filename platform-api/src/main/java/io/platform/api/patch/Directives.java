package io.platform.api.patch;

import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns patch content that is taken over as-is (a new field, a replaced list) into plain object content:
 * maps carrying {@code $patch} are dropped (as apimachinery's {@code removeDirectives} does), {@code null}
 * fields are left out, and other {@code $}-keys go, as the Go decoder would drop them.
 */
final class Directives {

    private Directives() {
    }

    /** The cleaned copy of {@code value}, or null when the value itself is a {@code $patch} map. */
    static @Nullable JsonNode clean(JsonNode value) {
        if (value instanceof ObjectNode object) {
            if (object.has(StrategicMergePatch.PATCH)) {
                return null;
            }
            ObjectNode cleaned = JsonNodeFactory.instance.objectNode();
            for (Map.Entry<String, JsonNode> entry : object.properties()) {
                JsonNode child = entry.getValue().isNull() || entry.getKey().startsWith("$") ? null : clean(entry.getValue());
                if (child != null) {
                    cleaned.set(entry.getKey(), child);
                }
            }
            return cleaned;
        }
        if (value instanceof ArrayNode array) {
            ArrayNode cleaned = JsonNodeFactory.instance.arrayNode();
            for (JsonNode item : array) {
                JsonNode child = clean(item);
                if (child != null) {
                    cleaned.add(child);
                }
            }
            return cleaned;
        }
        return value.deepCopy();
    }
}
