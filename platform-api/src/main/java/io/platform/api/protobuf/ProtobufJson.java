package io.platform.api.protobuf;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Converts a decoded Kubernetes protobuf message to the JSON the Go API server would write for it, walking
 * the descriptors: field names are the JSON names, zero scalars follow the Go tags ({@link GoJsonTags}),
 * empty lists and maps are left out, and apimachinery's own types keep their JSON forms.
 */
final class ProtobufJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final String META = "k8s.io.apimachinery.pkg.apis.meta.v1.";
    private static final String TIME = META + "Time";
    private static final String MICRO_TIME = META + "MicroTime";
    private static final String INT_OR_STRING = "k8s.io.apimachinery.pkg.util.intstr.IntOrString";
    private static final String QUANTITY = "k8s.io.apimachinery.pkg.api.resource.Quantity";
    private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter RFC3339_MICRO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX")
            .withZone(ZoneOffset.UTC);

    private ProtobufJson() {
    }

    /** The fields of {@code message} as a JSON object, appended to {@code target}. */
    static ObjectNode object(Message message, ObjectNode target) {
        for (FieldDescriptor field : message.getDescriptorForType().getFields()) {
            String name = GoJsonTags.jsonName(field);
            if (field.isMapField()) {
                List<?> entries = (List<?>) message.getField(field);
                if (!entries.isEmpty()) {
                    target.set(name, map(entries));
                }
            } else if (field.isRepeated()) {
                if (message.getRepeatedFieldCount(field) > 0) {
                    ArrayNode array = target.putArray(name);
                    ((List<?>) message.getField(field)).forEach(item -> array.add(value(field, item)));
                }
            } else if (GoJsonTags.isInline(field)) {
                if (message.hasField(field)) {
                    object((Message) message.getField(field), target);
                }
            } else if (message.hasField(field)) {
                Object value = message.getField(field);
                if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE || !isZero(value)
                        || GoJsonTags.keepsZeroValue(field)) {
                    target.set(name, value(field, value));
                }
            }
        }
        return target;
    }

    private static ObjectNode map(List<?> entries) {
        ObjectNode map = NODES.objectNode();
        for (Object entry : entries) {
            Message pair = (Message) entry;
            Descriptor type = pair.getDescriptorForType();
            FieldDescriptor valueField = type.findFieldByName("value");
            map.set(String.valueOf(pair.getField(type.findFieldByName("key"))),
                    value(valueField, pair.getField(valueField)));
        }
        return map;
    }

    private static JsonNode value(FieldDescriptor field, Object value) {
        return switch (field.getJavaType()) {
            case STRING -> NODES.stringNode((String) value);
            case BYTE_STRING -> NODES.stringNode(Base64.getEncoder().encodeToString(((ByteString) value).toByteArray()));
            case INT, LONG -> number(((Number) value).longValue());
            case FLOAT, DOUBLE -> decimal(((Number) value).doubleValue());
            case BOOLEAN -> NODES.booleanNode((Boolean) value);
            case ENUM -> NODES.stringNode(value.toString());
            case MESSAGE -> message((Message) value);
        };
    }

    private static JsonNode message(Message message) {
        Descriptor type = message.getDescriptorForType();
        return switch (type.getFullName()) {
            case TIME -> time(message, false);
            case MICRO_TIME -> time(message, true);
            case INT_OR_STRING -> intOrString(message);
            case QUANTITY -> NODES.stringNode((String) message.getField(type.findFieldByName("string")));
            default -> {
                List<FieldDescriptor> fields = type.getFields();
                if (fields.size() == 1 && isRawJson(fields.getFirst())) {
                    yield rawJson((ByteString) message.getField(fields.getFirst()));
                }
                if (fields.size() == 1 && isNamedSlice(fields.getFirst())) {
                    ArrayNode array = NODES.arrayNode();
                    ((List<?>) message.getField(fields.getFirst())).forEach(item -> array.add(value(fields.getFirst(), item)));
                    yield array;
                }
                yield object(message, NODES.objectNode());
            }
        };
    }

    /** metav1.Time and MicroTime: an empty message is Go's zero time, written as null; Time has whole seconds. */
    private static JsonNode time(Message message, boolean micro) {
        Descriptor type = message.getDescriptorForType();
        if (message.getAllFields().isEmpty()) {
            return NODES.nullNode();
        }
        Instant instant = Instant.ofEpochSecond((Long) message.getField(type.findFieldByName("seconds")));
        if (!micro) {
            return NODES.stringNode(RFC3339.format(instant));
        }
        int nanos = (Integer) message.getField(type.findFieldByName("nanos"));
        return NODES.stringNode(RFC3339_MICRO.format(instant.plusNanos(nanos)));
    }

    private static JsonNode intOrString(Message message) {
        Descriptor type = message.getDescriptorForType();
        long kind = ((Number) message.getField(type.findFieldByName("type"))).longValue();
        return kind == 1
                ? NODES.stringNode((String) message.getField(type.findFieldByName("strVal")))
                : NODES.numberNode((Integer) message.getField(type.findFieldByName("intVal")));
    }

    /** runtime.RawExtension, metav1.FieldsV1 and the like hold JSON bytes in their one field {@code raw} ({@code Raw}). */
    private static boolean isRawJson(FieldDescriptor field) {
        return field.getName().equalsIgnoreCase("raw") && !field.isRepeated() && field.getType() == FieldDescriptor.Type.BYTES;
    }

    private static JsonNode rawJson(ByteString raw) {
        if (raw.isEmpty()) {
            return NODES.nullNode();
        }
        if (raw.startsWith(ProtobufBodies.MAGIC)) {
            return ProtobufBodies.decode(raw.toByteArray());
        }
        try {
            return MAPPER.readTree(raw.toByteArray());
        } catch (JacksonException e) {
            throw new ProtobufBodyException("an embedded object is neither JSON nor protobuf: " + e.getOriginalMessage(), e);
        }
    }

    /** Go named slices such as {@code type ExtraValue []string} are messages with one repeated field {@code items}. */
    private static boolean isNamedSlice(FieldDescriptor field) {
        return field.getName().equals("items") && field.isRepeated() && !field.isMapField();
    }

    private static boolean isZero(Object value) {
        return switch (value) {
            case String text -> text.isEmpty();
            case ByteString bytes -> bytes.isEmpty();
            case Boolean bool -> !bool;
            case Number number -> number.doubleValue() == 0;
            default -> false;
        };
    }

    /** Numbers as Jackson reads them from JSON text: int when it fits, else long. */
    private static JsonNode number(long value) {
        return value == (int) value ? NODES.numberNode((int) value) : NODES.numberNode(value);
    }

    /** Go writes whole floats without a fraction ({@code 1}, not {@code 1.0}). */
    private static JsonNode decimal(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? number((long) value) : NODES.numberNode(value);
    }
}
