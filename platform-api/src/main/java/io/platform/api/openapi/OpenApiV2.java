package io.platform.api.openapi;

import io.platform.api.discovery.VersionInfo;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Swagger 2.0 document served at {@code /openapi/v2}, converted from the OpenAPI v3 documents (same schemas,
 * paths and extensions): definitions under {@code definitions} with {@code #/definitions/...} refs, request bodies as
 * {@code body} parameters, media types as {@code consumes}/{@code produces}. Older clients and
 * {@code kubectl explain --output=plaintext-openapiv2} read it.
 */
public final class OpenApiV2 {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final String V3_REF = ModelSchemas.REF_PREFIX;
    private static final String V2_REF = "#/definitions/";
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

    private final ObjectNode document;
    private final byte[] bytes;

    public OpenApiV2(OpenApiV3 v3) {
        Map<String, JsonNode> definitions = new TreeMap<>();
        Map<String, JsonNode> paths = new TreeMap<>();
        for (String name : v3.index().path("paths").propertyNames()) {
            JsonNode document = v3.document(name).orElseThrow();
            document.path("components").path("schemas").properties()
                    .forEach(e -> definitions.putIfAbsent(e.getKey(), schema(e.getValue())));
            document.path("paths").properties().forEach(e -> paths.putIfAbsent(e.getKey(), pathItem(e.getValue())));
        }
        ObjectNode root = JSON.objectNode();
        root.put("swagger", "2.0");
        ObjectNode info = root.putObject("info");
        info.put("title", "Kubernetes");
        info.put("version", VersionInfo.GIT_VERSION);
        ObjectNode pathsNode = root.putObject("paths");
        paths.forEach(pathsNode::set);
        ObjectNode definitionsNode = root.putObject("definitions");
        definitions.forEach(definitionsNode::set);
        ObjectNode bearer = root.putObject("securityDefinitions").putObject("BearerToken");
        bearer.put("description", "Bearer Token authentication");
        bearer.put("in", "header");
        bearer.put("name", "authorization");
        bearer.put("type", "apiKey");
        root.putArray("security").addObject().putArray("BearerToken");
        this.document = root;
        this.bytes = MAPPER.writeValueAsBytes(root);
    }

    /** The document; shared, must not be modified. */
    public JsonNode document() {
        return document;
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    /** A v3 schema as v2 writes it: refs to definitions, and a ref with a description without the allOf wrapper. */
    static JsonNode schema(JsonNode v3) {
        if (!v3.isObject()) {
            return v3;
        }
        ObjectNode result = JSON.objectNode();
        JsonNode allOf = v3.get("allOf");
        boolean unwrap = allOf != null && allOf.isArray() && allOf.size() == 1 && allOf.get(0).has("$ref");
        for (Map.Entry<String, JsonNode> entry : v3.properties()) {
            String key = entry.getKey();
            JsonNode value = entry.getValue();
            switch (key) {
                case "$ref" -> result.put("$ref", ref(value.asString()));
                case "nullable" -> { }
                case "items", "additionalProperties", "not" -> result.set(key, schema(value));
                case "properties" -> {
                    ObjectNode properties = result.putObject("properties");
                    value.properties().forEach(p -> properties.set(p.getKey(), schema(p.getValue())));
                }
                case "allOf", "oneOf", "anyOf" -> {
                    if (unwrap && key.equals("allOf")) {
                        result.put("$ref", ref(value.get(0).get("$ref").asString()));
                    } else {
                        ArrayNode schemas = result.putArray(key);
                        value.forEach(item -> schemas.add(schema(item)));
                    }
                }
                default -> result.set(key, value);
            }
        }
        return result;
    }

    private static String ref(String v3) {
        return v3.startsWith(V3_REF) ? V2_REF + v3.substring(V3_REF.length()) : v3;
    }

    private static ObjectNode pathItem(JsonNode v3) {
        ObjectNode item = JSON.objectNode();
        for (Map.Entry<String, JsonNode> entry : v3.properties()) {
            if (entry.getKey().equals("parameters")) {
                item.set("parameters", parameters(entry.getValue()));
            } else if (METHODS.contains(entry.getKey())) {
                item.set(entry.getKey(), operation(entry.getValue()));
            } else {
                item.set(entry.getKey(), entry.getValue());
            }
        }
        return item;
    }

    private static ArrayNode parameters(JsonNode v3) {
        ArrayNode parameters = JSON.arrayNode();
        for (JsonNode parameter : v3) {
            ObjectNode converted = JSON.objectNode();
            for (Map.Entry<String, JsonNode> entry : parameter.properties()) {
                if (entry.getKey().equals("schema")) {
                    entry.getValue().properties().forEach(e -> converted.set(e.getKey(), schema(e.getValue())));
                } else {
                    converted.set(entry.getKey(), entry.getValue());
                }
            }
            parameters.add(converted);
        }
        return parameters;
    }

    private static ObjectNode operation(JsonNode v3) {
        ObjectNode operation = JSON.objectNode();
        Set<String> consumes = new LinkedHashSet<>();
        Set<String> produces = new LinkedHashSet<>();
        ArrayNode parameters = v3.has("parameters") ? parameters(v3.get("parameters")) : JSON.arrayNode();
        JsonNode body = v3.get("requestBody");
        if (body != null) {
            JsonNode schema = null;
            for (Map.Entry<String, JsonNode> media : body.path("content").properties()) {
                consumes.add(media.getKey());
                if (schema == null) {
                    schema = media.getValue().get("schema");
                }
            }
            ObjectNode parameter = JSON.objectNode();
            parameter.put("in", "body");
            parameter.put("name", "body");
            parameter.put("required", body.path("required").asBoolean(true));
            if (schema != null) {
                parameter.set("schema", schema(schema));
            }
            parameters.add(parameter);
        }
        ObjectNode responses = JSON.objectNode();
        for (Map.Entry<String, JsonNode> response : v3.path("responses").properties()) {
            ObjectNode converted = responses.putObject(response.getKey());
            converted.put("description", response.getValue().path("description").asString(""));
            JsonNode schema = null;
            for (Map.Entry<String, JsonNode> media : response.getValue().path("content").properties()) {
                produces.add(media.getKey());
                if (schema == null) {
                    schema = media.getValue().get("schema");
                }
            }
            if (schema != null) {
                converted.set("schema", schema(schema));
            }
        }
        for (Map.Entry<String, JsonNode> entry : v3.properties()) {
            switch (entry.getKey()) {
                case "parameters", "requestBody", "responses" -> { }
                default -> operation.set(entry.getKey(), entry.getValue());
            }
        }
        if (!consumes.isEmpty()) {
            ArrayNode array = operation.putArray("consumes");
            consumes.forEach(array::add);
        }
        if (!parameters.isEmpty()) {
            operation.set("parameters", parameters);
        }
        if (!produces.isEmpty()) {
            ArrayNode array = operation.putArray("produces");
            produces.forEach(array::add);
        }
        operation.set("responses", responses);
        operation.putArray("schemes").add("https");
        return operation;
    }
}
