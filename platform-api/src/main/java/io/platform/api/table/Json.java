package io.platform.api.table;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/** Lenient reads of Kubernetes JSON: absent fields read as Go's zero values, as the printers see them. */
final class Json {

    private Json() {}

    static String text(JsonNode node, String... path) {
        JsonNode value = at(node, path);
        return value.isString() ? value.stringValue() : "";
    }

    static long number(JsonNode node, String... path) {
        JsonNode value = at(node, path);
        return value.isNumber() ? value.asLong() : 0;
    }

    static boolean bool(JsonNode node, String... path) {
        JsonNode value = at(node, path);
        return value.isBoolean() && value.asBoolean();
    }

    static List<JsonNode> array(JsonNode node, String... path) {
        JsonNode value = at(node, path);
        return value.isArray() ? List.copyOf(value.values()) : List.of();
    }

    static int size(JsonNode node, String... path) {
        JsonNode value = at(node, path);
        return value.isObject() || value.isArray() ? value.size() : 0;
    }

    /** A timestamp (Time or MicroTime) at the path, if it is set and parses. */
    static Optional<Instant> time(JsonNode node, String... path) {
        String value = text(node, path);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(value).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    static JsonNode at(JsonNode node, String... path) {
        JsonNode current = node;
        for (String field : path) {
            current = current.path(field);
        }
        return current;
    }
}
