package io.platform.api.apply;

import io.platform.api.json.Json;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads and writes {@code metadata.managedFields}: entries with {@code fieldsType: FieldsV1}, written sorted as
 * upstream sorts them (Apply before Update, then by time, manager, apiVersion and subresource).
 */
public final class ManagedFields {

    private static final Comparator<ManagedFieldsEntry> ORDER = Comparator
            .comparing(ManagedFieldsEntry::operation)
            .thenComparingLong(e -> e.time() == null ? 0 : Instant.parse(e.time()).getEpochSecond())
            .thenComparing(ManagedFieldsEntry::manager)
            .thenComparing(ManagedFieldsEntry::apiVersion)
            .thenComparing(e -> e.subresource() == null ? "" : e.subresource());

    private ManagedFields() {}

    /**
     * The entries of an object by identity; later duplicates are merged into the first.
     *
     * @throws IllegalArgumentException when the list is malformed
     */
    public static Map<String, ManagedFieldsEntry> decode(@Nullable JsonNode managedFields) {
        Map<String, ManagedFieldsEntry> entries = new LinkedHashMap<>();
        if (managedFields == null || managedFields.isNull() || managedFields.isMissingNode()) {
            return entries;
        }
        if (!managedFields.isArray()) {
            throw new IllegalArgumentException("managedFields must be a list");
        }
        for (JsonNode item : managedFields) {
            String manager = item.path("manager").asString("");
            String operation = item.path("operation").asString("");
            if (!operation.equals(ManagedFieldsEntry.APPLY) && !operation.equals(ManagedFieldsEntry.UPDATE)) {
                throw new IllegalArgumentException("managedFields operation must be Apply or Update, got \"" + operation + "\"");
            }
            String fieldsType = item.path("fieldsType").asString("FieldsV1");
            if (!fieldsType.equals("FieldsV1")) {
                throw new IllegalArgumentException("managedFields fieldsType must be FieldsV1, got \"" + fieldsType + "\"");
            }
            String time = item.hasNonNull("time") ? time(item.get("time").asString()) : null;
            String subresource = item.path("subresource").asString("");
            ManagedFieldsEntry entry = new ManagedFieldsEntry(manager, operation, item.path("apiVersion").asString(""),
                    time, FieldSet.fromFieldsV1(item.path("fieldsV1").isObject() ? item.get("fieldsV1") : Json.object()),
                    subresource.isEmpty() ? null : subresource);
            entries.merge(entry.id(), entry, (a, b) -> a.withFields(a.fields().union(b.fields())));
        }
        return entries;
    }

    private static String time(String text) {
        try {
            return Instant.parse(text).toString();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("managedFields time is not an RFC 3339 time: " + text, e);
        }
    }

    /** Whether a client sent only empty entries ({@code [{}]}), upstream's way of clearing managedFields. */
    static boolean isReset(@Nullable JsonNode managedFields) {
        if (managedFields == null || !managedFields.isArray() || managedFields.isEmpty()) {
            return false;
        }
        for (JsonNode entry : managedFields) {
            if (!entry.isObject() || !entry.isEmpty()) {
                return false;
            }
        }
        return true;
    }

    public static ArrayNode encode(Collection<ManagedFieldsEntry> entries) {
        List<ManagedFieldsEntry> sorted = new ArrayList<>(entries);
        sorted.sort(ORDER);
        ArrayNode list = Json.array();
        for (ManagedFieldsEntry entry : sorted) {
            ObjectNode item = list.addObject();
            item.put("manager", entry.manager());
            item.put("operation", entry.operation());
            item.put("apiVersion", entry.apiVersion());
            if (entry.time() != null) {
                item.put("time", entry.time());
            }
            item.put("fieldsType", "FieldsV1");
            item.set("fieldsV1", entry.fields().toFieldsV1());
            if (entry.subresource() != null) {
                item.put("subresource", entry.subresource());
            }
        }
        return list;
    }

    /** Sets or (when empty) removes {@code metadata.managedFields}. */
    static void write(ObjectNode object, ArrayNode entries) {
        ObjectNode metadata = Json.metadata(object);
        if (entries.isEmpty()) {
            metadata.remove("managedFields");
        } else {
            metadata.set("managedFields", entries);
        }
    }
}
