package io.platform.api.patch;

import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** RFC 7386 JSON merge patch ({@code kubectl label|annotate|scale}): objects merge, {@code null} deletes, the rest replaces. */
final class JsonMergePatch {

    private JsonMergePatch() {
    }

    static JsonNode apply(JsonNode target, JsonNode patch) {
        if (!(patch instanceof ObjectNode patchObject)) {
            return patch.deepCopy();
        }
        ObjectNode result = target instanceof ObjectNode object ? object : JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, JsonNode> entry : patchObject.properties()) {
            if (entry.getValue().isNull()) {
                result.remove(entry.getKey());
            } else {
                JsonNode current = result.get(entry.getKey());
                result.set(entry.getKey(), apply(current == null ? JsonNodeFactory.instance.nullNode() : current, entry.getValue()));
            }
        }
        return result;
    }
}
