package io.platform.api.json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** The JSON and YAML mappers of the API server and small accessors for object trees. */
public final class Json {

    public static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final YAMLMapper YAML = YAMLMapper.builder().build();
    public static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Json() {}

    /** Parses a JSON object; anything else (an array, a scalar, garbage) is an {@link IllegalArgumentException}. */
    public static ObjectNode parseObject(byte[] bytes) {
        return asObject(read(MAPPER, bytes));
    }

    /** Parses a YAML document holding one object. */
    public static ObjectNode parseYamlObject(byte[] bytes) {
        return asObject(read(YAML, bytes));
    }

    private static JsonNode read(tools.jackson.databind.ObjectMapper mapper, byte[] bytes) {
        try {
            return mapper.readTree(bytes);
        } catch (JacksonException e) {
            throw new IllegalArgumentException(e.getOriginalMessage(), e);
        }
    }

    private static ObjectNode asObject(@Nullable JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("the body is not a JSON object");
        }
        return (ObjectNode) node;
    }

    public static byte[] bytes(JsonNode node) {
        return MAPPER.writeValueAsBytes(node);
    }

    public static String string(JsonNode node) {
        return MAPPER.writeValueAsString(node);
    }

    public static ObjectNode object() {
        return NODES.objectNode();
    }

    public static ArrayNode array() {
        return NODES.arrayNode();
    }

    /** The object at {@code field}, created when missing or not an object. */
    public static ObjectNode child(ObjectNode parent, String field) {
        JsonNode node = parent.get(field);
        if (node instanceof ObjectNode object) {
            return object;
        }
        ObjectNode created = NODES.objectNode();
        parent.set(field, created);
        return created;
    }

    /** The string at a dotted path, or null when absent or not a string. */
    public static @Nullable String text(JsonNode node, String dottedPath) {
        JsonNode current = node;
        for (String part : dottedPath.split("\\.")) {
            current = current.path(part);
        }
        return current.isString() ? current.stringValue() : null;
    }

    /** A string-to-string map such as labels; empty when absent. */
    public static Map<String, String> stringMap(JsonNode node) {
        Map<String, String> map = new LinkedHashMap<>();
        if (node.isObject()) {
            node.properties().forEach(e -> map.put(e.getKey(), e.getValue().isString() ? e.getValue().stringValue() : e.getValue().toString()));
        }
        return map;
    }

    public static List<String> strings(JsonNode node) {
        List<String> list = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(n -> list.add(n.asString()));
        }
        return list;
    }

    public static ObjectNode metadata(ObjectNode object) {
        return child(object, "metadata");
    }
}
