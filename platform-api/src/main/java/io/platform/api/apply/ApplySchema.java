package io.platform.api.apply;

import com.google.gson.annotations.SerializedName;
import io.kubernetes.client.openapi.models.V1ConfigMapKeySelector;
import io.kubernetes.client.openapi.models.V1LabelSelector;
import io.kubernetes.client.openapi.models.V1LocalObjectReference;
import io.kubernetes.client.openapi.models.V1NodeSelector;
import io.kubernetes.client.openapi.models.V1NodeSelectorTerm;
import io.kubernetes.client.openapi.models.V1ObjectFieldSelector;
import io.kubernetes.client.openapi.models.V1ObjectReference;
import io.kubernetes.client.openapi.models.V1OwnerReference;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1ResourceFieldSelector;
import io.kubernetes.client.openapi.models.V1SecretKeySelector;
import io.kubernetes.client.openapi.models.V1ServiceSpec;
import io.kubernetes.client.openapi.models.V1TopologySelectorTerm;
import io.kubernetes.client.openapi.models.V1TypedLocalObjectReference;
import io.platform.api.patch.PatchStrategies;
import io.swagger.annotations.ApiModel;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The schema server-side apply walks along, read from the client-java-api model classes: structs (model classes,
 * fields by their gson names), maps with free keys, lists with their list type (associative by keys, set, or
 * atomic, from {@link PatchStrategies}), scalars, and unknown values (treated as upstream treats a deduced schema:
 * objects as maps, lists atomic).
 */
final class ApplySchema {

    enum Shape { STRUCT, MAP, LIST, SCALAR, UNKNOWN }

    enum ListType { ATOMIC, SET, MAP }

    /** Kubernetes 1.32 types marked {@code +structType=atomic} (x-kubernetes-map-type: atomic): replaced whole. */
    private static final Set<Class<?>> ATOMIC_STRUCTS = Set.of(V1LabelSelector.class, V1LocalObjectReference.class,
            V1ObjectReference.class, V1OwnerReference.class, V1ConfigMapKeySelector.class, V1SecretKeySelector.class,
            V1ObjectFieldSelector.class, V1ResourceFieldSelector.class, V1NodeSelector.class, V1NodeSelectorTerm.class,
            V1TopologySelectorTerm.class, V1TypedLocalObjectReference.class);

    /** Map fields marked {@code +mapType=atomic}. */
    private static final Map<Class<?>, Set<String>> ATOMIC_MAP_FIELDS = Map.of(
            V1PodSpec.class, Set.of("nodeSelector"),
            V1ServiceSpec.class, Set.of("selector"));

    /** Schema defaults of list-map key fields, used when an item omits the key (ports' protocol). */
    private static final Map<String, JsonNode> KEY_DEFAULTS = Map.of("protocol", JsonNodeFactory.instance.stringNode("TCP"));

    static final ApplySchema UNKNOWN = new ApplySchema(Shape.UNKNOWN, null, null, false, ListType.ATOMIC, List.of());
    private static final ApplySchema SCALAR = new ApplySchema(Shape.SCALAR, null, null, true, ListType.ATOMIC, List.of());
    private static final Map<Class<?>, Map<String, Type>> FIELDS = new ConcurrentHashMap<>();
    // every request walks the same few models: their fields' schemas and required names are read once
    private static final Map<Class<?>, Map<String, ApplySchema>> FIELD_SCHEMAS = new ConcurrentHashMap<>();
    private static final Map<Class<?>, Set<String>> REQUIRED = new ConcurrentHashMap<>();

    private final Shape shape;
    private final @Nullable Class<?> model;
    private final @Nullable Type element;
    private final boolean atomic;
    private final ListType listType;
    private final List<String> keys;

    private ApplySchema(Shape shape, @Nullable Class<?> model, @Nullable Type element, boolean atomic,
            ListType listType, List<String> keys) {
        this.shape = shape;
        this.model = model;
        this.element = element;
        this.atomic = atomic;
        this.listType = listType;
        this.keys = keys;
    }

    /** The schema of a kind's root, from its client-java-api model class. */
    static ApplySchema root(Class<?> modelClass) {
        return of(modelClass, null, null);
    }

    private static ApplySchema of(Type type, @Nullable Class<?> owner, @Nullable String field) {
        if (type instanceof Class<?> cls) {
            if (cls.isAnnotationPresent(ApiModel.class)) {
                return new ApplySchema(Shape.STRUCT, cls, null, ATOMIC_STRUCTS.contains(cls), ListType.ATOMIC, List.of());
            }
            return cls == Object.class ? UNKNOWN : SCALAR;
        }
        if (type instanceof ParameterizedType generic && generic.getRawType() instanceof Class<?> raw) {
            Type argument = generic.getActualTypeArguments()[generic.getActualTypeArguments().length - 1];
            if (Map.class.isAssignableFrom(raw)) {
                boolean atomic = owner != null && ATOMIC_MAP_FIELDS.getOrDefault(owner, Set.of()).contains(field);
                return new ApplySchema(Shape.MAP, null, argument, atomic, ListType.ATOMIC, List.of());
            }
            if (List.class.isAssignableFrom(raw)) {
                ListType listType = ListType.ATOMIC;
                List<String> keys = List.of();
                if (owner != null && field != null) {
                    keys = PatchStrategies.listMapKeys(owner, field);
                    if (!keys.isEmpty()) {
                        listType = ListType.MAP;
                    } else if (PatchStrategies.lookup(owner, field).map(s -> s.strategy().contains("merge")).orElse(false)) {
                        listType = ListType.SET;
                    }
                }
                return new ApplySchema(Shape.LIST, null, argument, listType == ListType.ATOMIC, listType, keys);
            }
        }
        return UNKNOWN;
    }

    Shape shape() {
        return shape;
    }

    boolean atomic() {
        return atomic;
    }

    ListType listType() {
        return listType;
    }

    /** Whether this is a struct that declares {@code name} (a "named field", as opposed to a free map key). */
    boolean hasField(String name) {
        return model != null && fields(model).containsKey(name);
    }

    /** The fields a struct requires (empty for anything else). */
    Set<String> requiredFields() {
        return model == null ? Set.of() : REQUIRED.computeIfAbsent(model, ZeroValues::required);
    }

    /** The schema of a struct field or of a map's values. */
    ApplySchema field(String name) {
        return switch (shape) {
            case STRUCT -> {
                Class<?> struct = model;
                Type type = fields(struct).get(name);
                // only declared names are kept: a request's unknown fields must not grow the map
                yield type == null ? UNKNOWN : FIELD_SCHEMAS.computeIfAbsent(struct, m -> new ConcurrentHashMap<>())
                        .computeIfAbsent(name, n -> of(type, struct, n));
            }
            case MAP -> element == null ? UNKNOWN : of(element, null, null);
            default -> UNKNOWN;
        };
    }

    /** The schema of a list's items. */
    ApplySchema elements() {
        return shape == Shape.LIST && element != null ? of(element, null, null) : UNKNOWN;
    }

    /** Whether a value can be walked as a container of this schema (an object for structs and maps). */
    boolean walksObject(JsonNode value) {
        return value.isObject() && (shape == Shape.STRUCT || shape == Shape.MAP || shape == Shape.UNKNOWN);
    }

    boolean walksList(JsonNode value) {
        return value.isArray() && shape == Shape.LIST;
    }

    /**
     * The path element of a list item: its keys for associative lists (defaulted key fields filled in), its value
     * for sets, its index otherwise.
     *
     * @throws IllegalArgumentException when an item of an associative list lacks a key field without default
     */
    PathElement itemElement(JsonNode item, int index) {
        if (listType == ListType.MAP && item.isObject()) {
            var fields = JsonNodeFactory.instance.objectNode();
            for (String key : keys.stream().sorted().toList()) {
                JsonNode value = item.get(key);
                if (value == null || value.isNull()) {
                    value = KEY_DEFAULTS.get(key);
                }
                if (value == null) {
                    throw new IllegalArgumentException("associative list with keys has an element that omits key field \""
                            + key + "\" (and doesn't have default value)");
                }
                fields.set(key, value);
            }
            return new PathElement.Key(fields);
        }
        if (listType == ListType.SET && !item.isContainer()) {
            return new PathElement.Value(item);
        }
        return new PathElement.Index(index);
    }

    private static Map<String, Type> fields(Class<?> model) {
        return FIELDS.computeIfAbsent(model, ApplySchema::readFields);
    }

    private static Map<String, Type> readFields(Class<?> model) {
        Map<String, Type> fields = new HashMap<>();
        for (Class<?> current = model; current != null && current != Object.class; current = current.getSuperclass()) {
            for (Field field : current.getDeclaredFields()) {
                SerializedName name = field.getAnnotation(SerializedName.class);
                if (name != null && !Modifier.isStatic(field.getModifiers())) {
                    fields.putIfAbsent(name.value(), field.getGenericType());
                }
            }
        }
        return Map.copyOf(fields);
    }
}
