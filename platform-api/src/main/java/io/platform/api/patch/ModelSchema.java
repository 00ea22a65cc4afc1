package io.platform.api.patch;

import com.google.gson.annotations.SerializedName;
import java.lang.reflect.Field;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The shape strategic merge patch walks along: a client-java-api model class (fields found by their gson
 * {@code @SerializedName}), a {@code Map<String, V>} whose keys are free, a {@code List<E>}, or nothing known
 * (every lookup then finds no strategy, as upstream does for types without patch tags).
 */
final class ModelSchema {

    private static final ModelSchema UNKNOWN = new ModelSchema(null);
    private static final Map<Class<?>, Map<String, Type>> FIELDS = new ConcurrentHashMap<>();

    private final @Nullable Type type;

    private ModelSchema(@Nullable Type type) {
        this.type = type;
    }

    static ModelSchema of(Type type) {
        return new ModelSchema(type);
    }

    /** The patch strategy of a field of this model class; none for maps, lists and unknown types. */
    Optional<PatchStrategy> strategy(String jsonField) {
        return type instanceof Class<?> model ? PatchStrategies.lookup(model, jsonField) : Optional.empty();
    }

    /** The schema of a field's value, or of any value when this is a map. */
    ModelSchema field(String jsonField) {
        if (type instanceof ParameterizedType generic && generic.getRawType() == Map.class) {
            return new ModelSchema(generic.getActualTypeArguments()[1]);
        }
        if (type instanceof Class<?> model) {
            Type fieldType = FIELDS.computeIfAbsent(model, ModelSchema::fieldsOf).get(jsonField);
            return fieldType == null ? UNKNOWN : new ModelSchema(fieldType);
        }
        return UNKNOWN;
    }

    /** The schema of the elements when this is a list. */
    ModelSchema elements() {
        if (type instanceof ParameterizedType generic && generic.getRawType() == List.class) {
            return new ModelSchema(generic.getActualTypeArguments()[0]);
        }
        return UNKNOWN;
    }

    String name() {
        return type == null ? "unknown type" : type.getTypeName();
    }

    private static Map<String, Type> fieldsOf(Class<?> model) {
        Map<String, Type> fields = new HashMap<>();
        for (Class<?> current = model; current != null && current != Object.class; current = current.getSuperclass()) {
            for (Field field : current.getDeclaredFields()) {
                SerializedName name = field.getAnnotation(SerializedName.class);
                if (name != null) {
                    fields.putIfAbsent(name.value(), field.getGenericType());
                }
            }
        }
        return Map.copyOf(fields);
    }
}
