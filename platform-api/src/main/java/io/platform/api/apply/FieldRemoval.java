package io.platform.api.apply;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Removes the values at a set of paths (with everything below them), as structured-merge-diff's {@code RemoveItems}. */
final class FieldRemoval {

    private FieldRemoval() {}

    static JsonNode remove(JsonNode value, FieldSet paths, ApplySchema schema) {
        if (paths.isEmpty()) {
            return value;
        }
        if (schema.walksObject(value) && !schema.atomic()) {
            ObjectNode result = JsonNodeFactory.instance.objectNode();
            for (var entry : value.properties()) {
                PathElement element = new PathElement.Field(entry.getKey());
                if (paths.has(new FieldPath(java.util.List.of(element)))) {
                    continue;
                }
                FieldSet below = paths.withPrefix(element);
                result.set(entry.getKey(), below.isEmpty() ? entry.getValue()
                        : remove(entry.getValue(), below, schema.field(entry.getKey())));
            }
            return result;
        }
        if (schema.walksList(value) && !schema.atomic()) {
            ArrayNode result = JsonNodeFactory.instance.arrayNode();
            for (int i = 0; i < value.size(); i++) {
                PathElement element = JsonValues.itemElement(schema, value.get(i), i);
                if (paths.has(new FieldPath(java.util.List.of(element)))) {
                    continue;
                }
                FieldSet below = paths.withPrefix(element);
                result.add(below.isEmpty() ? value.get(i) : remove(value.get(i), below, schema.elements()));
            }
            return result;
        }
        return value;
    }
}
