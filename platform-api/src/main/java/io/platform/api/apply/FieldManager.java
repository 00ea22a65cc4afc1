package io.platform.api.apply;

import io.platform.api.errors.ApiException;
import io.platform.api.json.Json;
import io.platform.api.openapi.OpenApiV3;
import io.platform.api.registry.ResourceType;
import io.platform.api.resource.ManagedFieldsTracker;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Field ownership as kube-apiserver's field manager keeps it: server-side apply (merge, prune of what the applier
 * dropped, conflicts, force) and the {@code Update} entries every other write records.
 *
 * <p>Simplifications, documented: all versions of a kind share one field layout (no conversion of field sets);
 * a create is compared against an approximation of Go's zero value ({@link ZeroValues}). managedFields sent with an update are used as the
 * new entries when they decode; an empty list keeps the stored ones and {@code [{}]} clears them, as upstream.
 */
public final class FieldManager {

    /** Fields no manager owns (upstream's strip set): identity and server-set metadata. */
    private static final FieldSet STRIPPED = FieldSet.of(FieldPath.of("apiVersion"), FieldPath.of("kind"),
            FieldPath.of("metadata"), FieldPath.of("metadata", "name"), FieldPath.of("metadata", "namespace"),
            FieldPath.of("metadata", "creationTimestamp"), FieldPath.of("metadata", "selfLink"),
            FieldPath.of("metadata", "uid"), FieldPath.of("metadata", "clusterName"),
            FieldPath.of("metadata", "generation"), FieldPath.of("metadata", "managedFields"),
            FieldPath.of("metadata", "resourceVersion"));
    private static final FieldPath STATUS = FieldPath.of("status");
    private static final int MAX_MANAGER_LENGTH = 128;

    /** The result of an apply: the object to store and its managedFields. */
    public record Applied(ObjectNode object, ArrayNode managedFields) {

        /** Stores exactly these managedFields, whatever the write mode keeps of the object's metadata. */
        public ManagedFieldsTracker tracker() {
            return (old, next) -> ManagedFields.write(next, managedFields.deepCopy());
        }
    }

    private final Clock clock;

    public FieldManager(Clock clock) {
        this.clock = clock;
    }

    /**
     * The manager of a write, as upstream: {@code ?fieldManager=}, else the User-Agent up to its first {@code /}.
     *
     * @throws ApiException 422 when the name is too long or not printable
     */
    public static String managerName(@Nullable String fieldManager, @Nullable String userAgent) {
        String name = fieldManager != null && !fieldManager.isEmpty() ? fieldManager
                : userAgent == null ? "" : userAgent.split("/", 2)[0];
        validateName(name);
        return name.isEmpty() ? "unknown" : name;
    }

    /** The manager of an apply: {@code ?fieldManager=} is required. */
    public static String applyManager(@Nullable String fieldManager) {
        if (fieldManager == null || fieldManager.isEmpty()) {
            throw new ApiException(400, "BadRequest",
                    "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch",
                    null, null, null, List.of());
        }
        validateName(fieldManager);
        return fieldManager;
    }

    private static void validateName(String name) {
        if (name.length() > MAX_MANAGER_LENGTH) {
            throw new ApiException(422, "Invalid", "fieldManager: Too long: may not be more than 128 bytes",
                    null, null, null, List.of());
        }
        if (name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new ApiException(422, "Invalid", "fieldManager: Invalid value: \"" + name
                    + "\": must only contain printable characters", null, null, null, List.of());
        }
    }

    /**
     * Applies {@code config} for {@code manager} onto {@code live} (null when the object does not exist yet).
     *
     * @param subresource "status" for applies to /status, else null
     * @throws ApiException 409 on conflicts without {@code force}, 400 on configurations that cannot be merged
     */
    public Applied apply(@Nullable ObjectNode live, ObjectNode config, ResourceType type, String manager, boolean force,
            @Nullable String subresource) {
        if (config.path("metadata").has("managedFields")) {
            throw ApiException.badRequest("metadata.managedFields must be nil");
        }
        ApplySchema schema = schemaOf(type);
        ObjectNode base = live == null ? emptyObject(type, config) : withoutManagedFields(live);
        Map<String, ManagedFieldsEntry> managers = live == null ? new LinkedHashMap<>() : storedEntries(live);
        String id = ManagedFieldsEntry.id(manager, ManagedFieldsEntry.APPLY, type.apiVersion(), subresource);
        ManagedFieldsEntry last = managers.get(id);
        ObjectNode merged;
        FieldSet applied;
        try {
            merged = (ObjectNode) ApplyMerge.merge(base, config, schema);
            applied = reset(ObjectFields.of(config, schema), subresource, type);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("failed to create typed patch object (" + type.apiVersion() + ", Kind="
                    + type.kind() + "): " + e.getMessage());
        }
        managers.put(id, new ManagedFieldsEntry(manager, ManagedFieldsEntry.APPLY, type.apiVersion(),
                last == null ? null : last.time(), applied, subresource));
        if (last != null && !last.fields().isEmpty()) {
            merged = prune(merged, managers, last.fields(), schema);
        }
        ObjectComparison comparison = ObjectComparison.of(base, merged, schema);
        comparison = new ObjectComparison(reset(comparison.added(), subresource, type),
                reset(comparison.modified(), subresource, type), reset(comparison.removed(), subresource, type));
        Map<ManagedFieldsEntry, FieldSet> conflicts = conflicts(managers, id, comparison.changed());
        if (!conflicts.isEmpty() && !force) {
            if (manager.equals(LastAppliedConfiguration.KUBECTL) && live != null) {
                FieldSet allowed = LastAppliedConfiguration.unchangedFields(base, schema);
                conflicts.replaceAll((entry, fields) -> fields.difference(allowed));
                conflicts.values().removeIf(FieldSet::isEmpty);
            }
            if (!conflicts.isEmpty()) {
                throw ApplyConflicts.error(conflicts);
            }
        }
        disown(managers, id, comparison);
        boolean noop = JsonValues.same(base, merged);
        if (!noop) {
            managers.computeIfPresent(id, (k, entry) -> entry.withTime(now()));
        }
        managers.replaceAll((k, entry) -> entry.withFields(entry.fields().difference(STRIPPED)));
        managers.values().removeIf(entry -> entry.fields().isEmpty());
        if (manager.equals(LastAppliedConfiguration.KUBECTL)) {
            LastAppliedConfiguration.follow(base, config, merged);
        }
        ArrayNode encoded = ManagedFields.encode(managers.values());
        ManagedFields.write(merged, encoded);
        return new Applied(merged, encoded);
    }

    /**
     * A tracker recording a non-apply write by {@code manager} as an {@code Update} entry: the fields it changed
     * become its own, and other managers lose them.
     */
    public ManagedFieldsTracker updates(ResourceType type, String manager, @Nullable String subresource) {
        return (old, next) -> recordUpdate(old, next, type, manager, subresource);
    }

    void recordUpdate(@Nullable ObjectNode old, ObjectNode next, ResourceType type, String manager,
            @Nullable String subresource) {
        ApplySchema schema = schemaOf(type);
        Map<String, ManagedFieldsEntry> managers = entriesForUpdate(old, next, subresource);
        ObjectNode before = old == null ? ZeroValues.of(schema, emptyObject(type, next)) : withoutManagedFields(old);
        ObjectComparison comparison = ObjectComparison.of(before, withoutManagedFields(next), schema);
        comparison = new ObjectComparison(reset(comparison.added(), subresource, type),
                reset(comparison.modified(), subresource, type), reset(comparison.removed(), subresource, type));
        disown(managers, null, comparison);
        FieldSet changed = comparison.changed().difference(STRIPPED);
        String id = ManagedFieldsEntry.id(manager, ManagedFieldsEntry.UPDATE, type.apiVersion(), subresource);
        if (!changed.isEmpty()) {
            ManagedFieldsEntry previous = managers.get(id);
            FieldSet owned = previous == null ? changed : previous.fields().union(changed);
            managers.put(id, new ManagedFieldsEntry(manager, ManagedFieldsEntry.UPDATE, type.apiVersion(), now(), owned,
                    subresource));
        }
        managers.values().removeIf(entry -> entry.fields().isEmpty());
        UpdateManagerCap.apply(managers);
        ManagedFields.write(next, ManagedFields.encode(managers.values()));
    }

    private static Map<String, ManagedFieldsEntry> entriesForUpdate(@Nullable ObjectNode old, ObjectNode next,
            @Nullable String subresource) {
        JsonNode sent = next.path("metadata").get("managedFields");
        if (subresource == null && ManagedFields.isReset(sent)) {
            return new LinkedHashMap<>();
        }
        if (subresource == null && sent != null && sent.isArray() && !sent.isEmpty()) {
            try {
                return ManagedFields.decode(sent);
            } catch (IllegalArgumentException e) {
                // as upstream: managedFields that do not decode are replaced by the stored ones
            }
        }
        return old == null ? new LinkedHashMap<>() : storedEntries(old);
    }

    private static Map<String, ManagedFieldsEntry> storedEntries(ObjectNode object) {
        try {
            return ManagedFields.decode(object.path("metadata").get("managedFields"));
        } catch (IllegalArgumentException e) {
            return new LinkedHashMap<>();
        }
    }

    /** Removes what nobody owns any more of what the applier owned last time (upstream's prune). */
    private static ObjectNode prune(ObjectNode merged, Map<String, ManagedFieldsEntry> managers, FieldSet lastOwned,
            ApplySchema schema) {
        FieldSet owned = FieldSet.EMPTY;
        for (ManagedFieldsEntry entry : managers.values()) {
            owned = owned.union(entry.fields());
        }
        FieldSet stale = ObjectFields.withNamedAncestors(lastOwned, schema)
                .difference(ObjectFields.withNamedAncestors(owned, schema));
        return (ObjectNode) FieldRemoval.remove(merged, stale, schema);
    }

    /** Fields others own that this change sets to another value, by owner. */
    private static Map<ManagedFieldsEntry, FieldSet> conflicts(Map<String, ManagedFieldsEntry> managers, String id,
            FieldSet changed) {
        Map<ManagedFieldsEntry, FieldSet> conflicts = new LinkedHashMap<>();
        managers.forEach((key, entry) -> {
            if (!key.equals(id)) {
                FieldSet overlap = entry.fields().intersection(changed);
                if (!overlap.isEmpty()) {
                    conflicts.put(entry, overlap);
                }
            }
        });
        return conflicts;
    }

    /** Others lose the fields that changed (taken over) or went away. */
    private static void disown(Map<String, ManagedFieldsEntry> managers, @Nullable String except,
            ObjectComparison comparison) {
        FieldSet lost = comparison.changed().union(comparison.removed());
        for (String key : new ArrayList<>(managers.keySet())) {
            if (!key.equals(except)) {
                ManagedFieldsEntry entry = managers.get(key);
                managers.put(key, entry.withFields(entry.fields().difference(lost)));
            }
        }
    }

    /**
     * Drops the fields a write of this kind does not own: the status for the main resource of types with a status
     * subresource, everything but the status for /status (upstream's reset fields).
     */
    private static FieldSet reset(FieldSet fields, @Nullable String subresource, ResourceType type) {
        if ("status".equals(subresource)) {
            List<FieldPath> kept = fields.paths().stream().filter(p -> p.startsWith(STATUS)).toList();
            return FieldSet.of(kept);
        }
        if (type.subresources().contains("status")) {
            return fields.recursiveDifference(FieldSet.of(STATUS));
        }
        return fields;
    }

    private static ObjectNode withoutManagedFields(ObjectNode object) {
        ObjectNode copy = object.deepCopy();
        if (copy.get("metadata") instanceof ObjectNode metadata) {
            metadata.remove("managedFields");
        }
        return copy;
    }

    /** What an applied new object is merged into: its identity and empty top-level structs. */
    private static ObjectNode emptyObject(ResourceType type, ObjectNode like) {
        ObjectNode empty = Json.object();
        empty.put("apiVersion", type.apiVersion()).put("kind", type.kind());
        ObjectNode metadata = empty.putObject("metadata");
        for (String field : List.of("name", "namespace")) {
            JsonNode value = like.path("metadata").get(field);
            if (value != null) {
                metadata.set(field, value);
            }
        }
        ApplySchema schema = schemaOf(type);
        for (String field : List.of("spec", "status")) {
            if (schema.hasField(field) && schema.field(field).shape() == ApplySchema.Shape.STRUCT) {
                empty.putObject(field);
            }
        }
        return empty;
    }

    private static ApplySchema schemaOf(ResourceType type) {
        try {
            return ApplySchema.root(OpenApiV3.modelClass(type));
        } catch (IllegalArgumentException e) {
            return ApplySchema.UNKNOWN;
        }
    }

    private String now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
