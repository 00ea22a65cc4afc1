package io.platform.api.apply;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Collection;
import java.util.Set;
import tools.jackson.databind.node.ObjectNode;

/**
 * An approximation of the Go zero value of a kind, which upstream compares a created object against when it records
 * the creator's Update entry: structs Go embeds by value ({@code metadata}, {@code spec}, {@code template},
 * {@code strategy}, ...) exist empty and required lists exist, so only what the creator added below them is
 * marked as added ({@code ".": {}}). The client-java models do not say which Go fields are pointers; these names
 * are the value-embedded structs of the workload and core kinds.
 */
final class ZeroValues {

    private static final Set<String> VALUE_STRUCTS = Set.of("metadata", "spec", "status", "template", "strategy",
            "updateStrategy", "jobTemplate");

    private ZeroValues() {}

    /** {@code identity} filled with the zero-valued structs and required lists of the schema. */
    static ObjectNode of(ApplySchema schema, ObjectNode identity) {
        ObjectNode zero = identity.deepCopy();
        fill(zero, schema, 0);
        return zero;
    }

    private static void fill(ObjectNode object, ApplySchema schema, int depth) {
        if (depth > 8) {
            return;
        }
        for (String name : VALUE_STRUCTS) {
            ApplySchema field = schema.field(name);
            if (schema.hasField(name) && field.shape() == ApplySchema.Shape.STRUCT && !field.atomic()) {
                ObjectNode child = object.get(name) instanceof ObjectNode existing ? existing : object.putObject(name);
                fill(child, field, depth + 1);
            }
        }
        for (String name : schema.requiredFields()) {
            if (schema.field(name).shape() == ApplySchema.Shape.LIST && !object.has(name)) {
                object.putArray(name);
            }
        }
    }

    /** The JSON names a generated model lists as required. */
    static Set<String> required(Class<?> model) {
        try {
            Field field = model.getDeclaredField("openapiRequiredFields");
            if (Modifier.isStatic(field.getModifiers()) && field.get(null) instanceof Collection<?> names) {
                return Set.copyOf(names.stream().map(String::valueOf).toList());
            }
        } catch (NoSuchFieldException | IllegalAccessException e) {
            // models without the list have no required fields
        }
        return Set.of();
    }
}
