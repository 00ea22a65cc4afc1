package io.platform.api.openapi;

import com.google.gson.annotations.SerializedName;
import io.swagger.annotations.ApiModel;
import io.swagger.annotations.ApiModelProperty;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Reads what the client-java-api model classes carry at run time: the JSON fields ({@code @SerializedName}),
 * their descriptions ({@code @ApiModelProperty} on the getters) and the required fields
 * ({@code openapiRequiredFields}), which the generator copies from Kubernetes' own OpenAPI.
 */
public final class ModelFields {

    /** One JSON field of a model class. */
    record JsonField(String name, Type type, @Nullable String description) {}

    private static final Map<Class<?>, List<JsonField>> FIELDS = new ConcurrentHashMap<>();

    private ModelFields() {}

    /** The description Kubernetes gives {@code jsonField} of {@code modelClass}, e.g. ObjectMeta's "name". */
    public static Optional<String> description(Class<?> modelClass, String jsonField) {
        return fields(modelClass).stream()
                .filter(f -> f.name().equals(jsonField))
                .map(JsonField::description)
                .filter(d -> d != null && !d.isEmpty())
                .findFirst();
    }

    /**
     * The description of {@code jsonField}, or when the field refers to another model without a description of
     * its own (client-java-api drops the descriptions of {@code $ref} fields), that model's description.
     */
    public static Optional<String> fieldOrTypeDescription(Class<?> modelClass, String jsonField) {
        return description(modelClass, jsonField).or(() -> fields(modelClass).stream()
                .filter(f -> f.name().equals(jsonField))
                .findFirst()
                .filter(f -> f.type() instanceof Class<?> type && isModel(type))
                .flatMap(f -> classDescription((Class<?>) f.type())));
    }

    /** The description of the type itself, from {@code @ApiModel}. */
    static Optional<String> classDescription(Class<?> modelClass) {
        ApiModel model = modelClass.getAnnotation(ApiModel.class);
        return model == null || model.description().isEmpty() ? Optional.empty() : Optional.of(model.description());
    }

    /** The JSON fields in declaration order (the generator declares them sorted by JSON name). */
    static List<JsonField> fields(Class<?> modelClass) {
        return FIELDS.computeIfAbsent(modelClass, ModelFields::readFields);
    }

    /** The JSON names Kubernetes marks required, as the generated class lists them. */
    static List<String> required(Class<?> modelClass) {
        try {
            Field field = modelClass.getDeclaredField("openapiRequiredFields");
            if (Modifier.isStatic(field.getModifiers()) && field.get(null) instanceof Collection<?> names) {
                List<String> required = new ArrayList<>();
                names.forEach(n -> required.add(String.valueOf(n)));
                return required;
            }
            return List.of();
        } catch (NoSuchFieldException e) {
            return List.of();
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot read required fields of " + modelClass.getName(), e);
        }
    }

    /** Whether the class is a generated model (as opposed to a scalar like String or Quantity). */
    static boolean isModel(Class<?> type) {
        return type.isAnnotationPresent(ApiModel.class);
    }

    private static List<JsonField> readFields(Class<?> modelClass) {
        List<JsonField> fields = new ArrayList<>();
        for (Field field : modelClass.getDeclaredFields()) {
            SerializedName json = field.getAnnotation(SerializedName.class);
            if (json == null || Modifier.isStatic(field.getModifiers())) {
                continue;
            }
            fields.add(new JsonField(json.value(), field.getGenericType(), getterDescription(modelClass, field)));
        }
        return List.copyOf(fields);
    }

    private static @Nullable String getterDescription(Class<?> modelClass, Field field) {
        // the generator strips a leading underscore from names that are Java keywords (_continue)
        String bare = field.getName().startsWith("_") ? field.getName().substring(1) : field.getName();
        String capitalized = Character.toUpperCase(bare.charAt(0)) + bare.substring(1);
        for (String getter : List.of("get" + capitalized, "is" + capitalized)) {
            try {
                Method method = modelClass.getMethod(getter);
                ApiModelProperty property = method.getAnnotation(ApiModelProperty.class);
                if (property != null) {
                    return property.value();
                }
            } catch (NoSuchMethodException e) {
                // try the other accessor spelling
            }
        }
        return null;
    }
}
