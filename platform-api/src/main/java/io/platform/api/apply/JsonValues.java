package io.platform.api.apply;

import tools.jackson.databind.JsonNode;

/** Small value rules shared by the walks: equality as Kubernetes values compare, and tolerant item naming. */
final class JsonValues {

    private JsonValues() {}

    /** Deep equality where 1 and 1.0 are the same number. */
    static boolean same(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        if (a.isObject() && b.isObject()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (var entry : a.properties()) {
                JsonNode other = b.get(entry.getKey());
                if (other == null || !same(entry.getValue(), other)) {
                    return false;
                }
            }
            return true;
        }
        if (a.isArray() && b.isArray()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (!same(a.get(i), b.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }

    /** The element of an item of a stored list: an item that lacks its keys is named by its index instead of failing. */
    static PathElement itemElement(ApplySchema schema, JsonNode item, int index) {
        try {
            return schema.itemElement(item, index);
        } catch (IllegalArgumentException e) {
            return new PathElement.Index(index);
        }
    }
}
