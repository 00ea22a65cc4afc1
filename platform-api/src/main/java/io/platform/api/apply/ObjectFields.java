package io.platform.api.apply;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;

/**
 * The field set of an object, as structured-merge-diff's {@code ToFieldSet}: every scalar, atomic value and list
 * item, plus map entries whose key is not a named struct field and values that are null or empty objects. This is
 * what an applier owns of its applied configuration.
 */
final class ObjectFields {

    private ObjectFields() {}

    static FieldSet of(JsonNode value, ApplySchema schema) {
        TreeSet<FieldPath> paths = new TreeSet<>();
        walk(value, schema, FieldPath.ROOT, paths);
        return FieldSet.of(paths);
    }

    private static void walk(JsonNode value, ApplySchema schema, FieldPath path, TreeSet<FieldPath> into) {
        if (schema.walksObject(value)) {
            if (schema.atomic()) {
                into.add(path);
                return;
            }
            for (Map.Entry<String, JsonNode> entry : value.properties()) {
                FieldPath child = path.child(new PathElement.Field(entry.getKey()));
                JsonNode item = entry.getValue();
                walk(item, schema.field(entry.getKey()), child, into);
                if (item.isNull() || item.isObject() && item.isEmpty() || !schema.hasField(entry.getKey())) {
                    into.add(child);
                }
            }
            return;
        }
        if (schema.walksList(value) && !schema.atomic()) {
            ApplySchema elements = schema.elements();
            for (int i = 0; i < value.size(); i++) {
                FieldPath child = path.child(schema.itemElement(value.get(i), i));
                walk(value.get(i), elements, child, into);
                into.add(child);
            }
            return;
        }
        if (!path.isEmpty()) {
            into.add(path);
        }
    }

    /**
     * The set plus the named struct fields above its paths (upstream's {@code EnsureNamedFieldsAreMembers}), so that
     * pruning never removes a struct field that still holds something owned.
     */
    static FieldSet withNamedAncestors(FieldSet set, ApplySchema root) {
        List<FieldPath> paths = new ArrayList<>(set.paths());
        for (FieldPath path : set) {
            ApplySchema schema = root;
            FieldPath prefix = FieldPath.ROOT;
            for (int i = 0; i < path.size() - 1; i++) {
                PathElement element = path.elements().get(i);
                prefix = prefix.child(element);
                if (element instanceof PathElement.Field field) {
                    if (schema.hasField(field.name())) {
                        paths.add(prefix);
                    }
                    schema = schema.field(field.name());
                } else {
                    schema = schema.elements();
                }
            }
        }
        return FieldSet.of(paths);
    }
}
