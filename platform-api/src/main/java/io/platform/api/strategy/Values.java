package io.platform.api.strategy;

import io.platform.api.errors.StatusCause;
import io.platform.api.json.Json;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.MissingNode;
import tools.jackson.databind.node.ObjectNode;

/** Small defaulting and validation steps the strategies share, with apimachinery's messages. */
final class Values {

    private Values() {}

    static void defaultNumber(ObjectNode node, String field, int value) {
        if (!node.hasNonNull(field)) {
            node.put(field, value);
        }
    }

    static void defaultBoolean(ObjectNode node, String field, boolean value) {
        if (!node.hasNonNull(field)) {
            node.put(field, value);
        }
    }

    /** As Go prints a rejected value: strings bare, anything else as JSON. */
    static String display(JsonNode value) {
        if (value.isMissingNode() || value.isNull()) {
            return "null";
        }
        return value.isString() ? value.stringValue() : Json.string(value);
    }

    static void nonNegative(JsonNode parent, String field, String path, List<StatusCause> causes) {
        JsonNode value = parent.path(field);
        if (value.isNumber() && value.asLong() < 0) {
            causes.add(StatusCause.invalidNumber(path, value.asLong(), "must be greater than or equal to 0"));
        }
    }

    static boolean missing(JsonNode parent, String field) {
        JsonNode value = parent.path(field);
        return value.isMissingNode() || value.isNull() || (value.isString() && value.stringValue().isEmpty())
                || ((value.isArray() || value.isObject()) && value.isEmpty());
    }

    static void required(JsonNode parent, String field, String path, List<StatusCause> causes) {
        if (missing(parent, field)) {
            causes.add(StatusCause.required(path, ""));
        }
    }

    /** A NotSupported cause when the field is set to a value outside {@code supported}. */
    static void supported(JsonNode parent, String field, String path, List<String> supported, List<StatusCause> causes) {
        JsonNode value = parent.path(field);
        if (!value.isMissingNode() && !value.isNull() && !supported.contains(value.asString(""))) {
            causes.add(StatusCause.notSupported(path, value.asString(""), supported));
        }
    }

    /** Required and one of {@code supported}. */
    static void requiredSupported(JsonNode parent, String field, String path, List<String> supported,
            List<StatusCause> causes) {
        if (missing(parent, field)) {
            causes.add(StatusCause.required(path, "supported values: "
                    + String.join(", ", supported.stream().map(s -> "\"" + s + "\"").toList())));
        } else {
            supported(parent, field, path, supported, causes);
        }
    }

    /** Upstream's ValidateImmutableField: {@code Invalid value: <new>: field is immutable}. */
    static void immutable(JsonNode value, JsonNode old, String path, List<StatusCause> causes) {
        if (!normalized(value).equals(normalized(old))) {
            causes.add(StatusCause.invalid(path, display(value), "field is immutable"));
        }
    }

    private static JsonNode normalized(JsonNode node) {
        return node.isNull() ? MissingNode.getInstance() : node;
    }
}
