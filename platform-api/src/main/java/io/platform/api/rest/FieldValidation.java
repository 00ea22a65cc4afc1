package io.platform.api.rest;

import io.platform.api.errors.ApiException;
import io.platform.api.openapi.FieldValidator;
import io.platform.api.registry.ResourceType;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code fieldValidation} query parameter: Strict rejects unknown fields with upstream's
 * "strict decoding error", Warn (the default) answers Warning headers, Ignore drops them silently.
 * Unknown fields are never stored, as a typed decoder would drop them.
 */
final class FieldValidation {

    private static final Pattern SEGMENT = Pattern.compile("([^\\[]+)((?:\\[\\d+])*)");
    private static final Pattern INDEX = Pattern.compile("\\[(\\d+)]");

    private final FieldValidator validator;

    FieldValidation(FieldValidator validator) {
        this.validator = validator;
    }

    /** Checks {@code object}, removes unknown fields, and returns the warnings to send. */
    List<String> check(@Nullable String mode, ResourceType type, ObjectNode object) {
        String directive = mode == null || mode.isEmpty() ? "Warn" : mode;
        if (!directive.equals("Strict") && !directive.equals("Warn") && !directive.equals("Ignore")) {
            throw ApiException.badRequest("fieldValidation: Unsupported value: \"" + mode
                    + "\": supported values: \"Ignore\", \"Strict\", \"Warn\"");
        }
        List<String> unknown = validator.unknownFields(type, object);
        if (unknown.isEmpty()) {
            return List.of();
        }
        List<String> messages = new ArrayList<>();
        unknown.forEach(field -> messages.add("unknown field \"" + field + "\""));
        if (directive.equals("Strict")) {
            throw ApiException.badRequest("strict decoding error: " + String.join(", ", messages));
        }
        unknown.forEach(field -> remove(object, field));
        return directive.equals("Warn") ? messages : List.of();
    }

    /** Removes a field given as a dotted path with list indexes, e.g. {@code spec.containers[0].foo}. */
    static void remove(ObjectNode object, String path) {
        String[] parts = path.split("\\.");
        JsonNode current = object;
        for (int i = 0; i < parts.length; i++) {
            Matcher m = SEGMENT.matcher(parts[i]);
            if (!m.matches()) {
                return;
            }
            boolean last = i == parts.length - 1;
            if (last && m.group(2).isEmpty()) {
                if (current instanceof ObjectNode node) {
                    node.remove(m.group(1));
                }
                return;
            }
            current = current.path(m.group(1));
            Matcher index = INDEX.matcher(m.group(2));
            while (index.find()) {
                current = current.path(Integer.parseInt(index.group(1)));
            }
        }
    }
}
