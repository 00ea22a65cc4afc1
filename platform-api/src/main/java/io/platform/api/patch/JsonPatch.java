package io.platform.api.patch;

import java.util.Comparator;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * RFC 6902 JSON patch ({@code kubectl patch --type=json}, {@code rollout undo}). A patch that is not a list
 * of operations is a 400; an operation that does not apply (missing path, failed {@code test}) is a 422,
 * as kube-apiserver answers.
 */
final class JsonPatch {

    /** Numbers are equal by value ({@code 1} and {@code 1.0}); everything else by Jackson's equality. */
    private static final Comparator<JsonNode> VALUE_EQUALITY = (a, b) ->
            a.isNumber() && b.isNumber() ? a.decimalValue().compareTo(b.decimalValue()) : a.equals(b) ? 0 : 1;

    private JsonPatch() {
    }

    static JsonNode apply(JsonNode document, JsonNode patch) {
        if (!patch.isArray()) {
            throw new PatchException(400, "a JSON patch must be an array of operations");
        }
        JsonNode result = document;
        for (int i = 0; i < patch.size(); i++) {
            if (!(patch.get(i) instanceof ObjectNode operation)) {
                throw new PatchException(400, "JSON patch operation " + i + " is not an object");
            }
            result = applyOne(result, operation, i);
        }
        return result;
    }

    private static JsonNode applyOne(JsonNode document, ObjectNode operation, int index) {
        String op = text(operation, "op", index);
        JsonPointer path = JsonPointer.parse(text(operation, "path", index));
        return switch (op) {
            case "add" -> add(document, path, value(operation, index));
            case "remove" -> {
                remove(document, path, index);
                yield document;
            }
            case "replace" -> {
                if (path.isRoot()) {
                    yield value(operation, index);
                }
                remove(document, path, index);
                yield add(document, path, value(operation, index));
            }
            case "move" -> {
                JsonPointer from = JsonPointer.parse(text(operation, "from", index));
                if (from.isProperPrefixOf(path)) {
                    throw failed(index, "cannot move " + from + " into its own child " + path);
                }
                JsonNode moved = get(document, from, index);
                remove(document, from, index);
                yield add(document, path, moved);
            }
            case "copy" -> add(document, path, get(document, JsonPointer.parse(text(operation, "from", index)), index).deepCopy());
            case "test" -> {
                JsonNode actual = get(document, path, index);
                JsonNode expected = value(operation, index);
                if (!actual.equals(VALUE_EQUALITY, expected)) {
                    throw failed(index, "test failed: the value at \"" + path + "\" is " + actual + ", not " + expected);
                }
                yield document;
            }
            default -> throw failed(index, "unknown operation \"" + op + "\"");
        };
    }

    private static JsonNode add(JsonNode document, JsonPointer path, JsonNode value) {
        if (path.isRoot()) {
            return value;
        }
        JsonNode parent = locate(document, path.parent());
        if (parent instanceof ObjectNode object) {
            object.set(path.last(), value);
        } else if (parent instanceof ArrayNode array) {
            int position = path.last().equals("-") ? array.size() : index(path.last(), array.size() + 1, path);
            array.insert(position, value);
        } else {
            throw new PatchException(422, "cannot add at \"" + path + "\": its parent does not exist or is not an object or array");
        }
        return document;
    }

    private static void remove(JsonNode document, JsonPointer path, int operation) {
        if (path.isRoot()) {
            throw failed(operation, "the whole document cannot be removed");
        }
        JsonNode parent = locate(document, path.parent());
        if (parent instanceof ObjectNode object && object.has(path.last())) {
            object.remove(path.last());
        } else if (parent instanceof ArrayNode array) {
            array.remove(index(path.last(), array.size(), path));
        } else {
            throw failed(operation, "\"" + path + "\" does not exist");
        }
    }

    private static JsonNode get(JsonNode document, JsonPointer path, int operation) {
        JsonNode node = locate(document, path);
        if (node == null) {
            throw failed(operation, "\"" + path + "\" does not exist");
        }
        return node;
    }

    private static @Nullable JsonNode locate(JsonNode document, JsonPointer path) {
        JsonNode current = document;
        for (String token : path.tokens()) {
            if (current instanceof ObjectNode object) {
                current = object.get(token);
            } else if (current instanceof ArrayNode array && token.matches("0|[1-9][0-9]{0,8}")) {
                current = array.get(Integer.parseInt(token));
            } else {
                return null;
            }
            if (current == null) {
                return null;
            }
        }
        return current;
    }

    private static int index(String token, int limit, JsonPointer path) {
        if (!token.matches("0|[1-9][0-9]{0,8}") || Integer.parseInt(token) >= limit) {
            throw new PatchException(422, "\"" + path + "\": index \"" + token + "\" is out of range");
        }
        return Integer.parseInt(token);
    }

    private static String text(ObjectNode operation, String field, int index) {
        JsonNode value = operation.get(field);
        if (value == null || !value.isString()) {
            throw failed(index, "\"" + field + "\" is missing or not a string");
        }
        return value.stringValue();
    }

    private static JsonNode value(ObjectNode operation, int index) {
        JsonNode value = operation.get("value");
        if (value == null) {
            throw failed(index, "\"value\" is missing");
        }
        return value.deepCopy();
    }

    private static PatchException failed(int index, String message) {
        return new PatchException(422, "JSON patch operation " + index + ": " + message);
    }
}
