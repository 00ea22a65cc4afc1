package io.platform.api.openapi;

import io.platform.api.registry.ResourceType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Finds the fields of an object its OpenAPI schema does not declare, for {@code fieldValidation=Strict}
 * (reject) and {@code Warn} (warning header), as kube-apiserver's strict decoding does. Maps (labels, data) take
 * any key, and {@code x-kubernetes-preserve-unknown-fields} or an object schema without properties (FieldsV1,
 * RawExtension) accepts anything below it.
 */
public final class FieldValidator {

    private final Map<String, ObjectNode> definitions;
    private final OpenApiV3 openApi;

    public FieldValidator(OpenApiV3 openApi) {
        this.openApi = openApi;
        this.definitions = openApi.definitions();
    }

    /**
     * The unknown fields of {@code object} as paths such as {@code spec.template.spec.containers[0].imagez}, in
     * document order; empty when every field is known or the type has no schema.
     */
    public List<String> unknownFields(ResourceType type, JsonNode object) {
        Optional<String> definition = openApi.definition(type);
        List<String> unknown = new ArrayList<>();
        definition.ifPresent(name -> walk(object, definitions.get(name), "", unknown));
        return unknown;
    }

    private void walk(JsonNode value, @Nullable JsonNode schema, String path, List<String> unknown) {
        JsonNode resolved = resolve(schema);
        if (resolved == null || resolved.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
            return;
        }
        if (value.isObject()) {
            JsonNode properties = resolved.get("properties");
            JsonNode additional = resolved.get("additionalProperties");
            for (Map.Entry<String, JsonNode> field : value.properties()) {
                String fieldPath = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
                if (properties != null) {
                    JsonNode property = properties.get(field.getKey());
                    if (property == null) {
                        unknown.add(fieldPath);
                    } else {
                        walk(field.getValue(), property, fieldPath, unknown);
                    }
                } else if (additional != null && additional.isObject()) {
                    walk(field.getValue(), additional, fieldPath, unknown);
                }
            }
        } else if (value.isArray() && resolved.has("items")) {
            int index = 0;
            for (JsonNode item : value.values()) {
                walk(item, resolved.get("items"), path + "[" + index++ + "]", unknown);
            }
        }
    }

    /** Follows {@code allOf:[{$ref}]} and {@code $ref} to the schema they name. */
    private @Nullable JsonNode resolve(@Nullable JsonNode schema) {
        JsonNode current = schema;
        while (current != null) {
            if (current.has("allOf") && current.get("allOf").size() > 0) {
                JsonNode inner = current.get("allOf").get(0);
                if (current.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
                    return current;
                }
                current = inner;
            } else if (current.has("$ref")) {
                String ref = current.get("$ref").asString();
                current = definitions.get(ref.substring(ModelSchemas.REF_PREFIX.length()));
            } else {
                return current;
            }
        }
        return null;
    }
}
