package io.platform.api.apply;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * What changed between two states of an object, as structured-merge-diff's {@code Compare}: the paths added,
 * modified (scalars and atomic values that differ) and removed. Added and removed containers are listed
 * themselves and with everything below them.
 */
record ObjectComparison(FieldSet added, FieldSet modified, FieldSet removed) {

    static ObjectComparison of(JsonNode before, JsonNode after, ApplySchema schema) {
        Walk walk = new Walk();
        walk.compare(before, after, schema, FieldPath.ROOT);
        return new ObjectComparison(FieldSet.of(walk.added), FieldSet.of(walk.modified), FieldSet.of(walk.removed));
    }

    /** The comparison without the paths in or below {@code ignored}. */
    ObjectComparison without(FieldSet ignored) {
        return new ObjectComparison(added.recursiveDifference(ignored), modified.recursiveDifference(ignored),
                removed.recursiveDifference(ignored));
    }

    FieldSet changed() {
        return modified.union(added);
    }

    boolean isSame() {
        return added.isEmpty() && modified.isEmpty() && removed.isEmpty();
    }

    private static final class Walk {
        private final Set<FieldPath> added = new TreeSet<>();
        private final Set<FieldPath> modified = new TreeSet<>();
        private final Set<FieldPath> removed = new TreeSet<>();

        void compare(@Nullable JsonNode before, @Nullable JsonNode after, ApplySchema schema, FieldPath path) {
            JsonNode lhs = present(before);
            JsonNode rhs = present(after);
            if (lhs == null && rhs == null) {
                return;
            }
            boolean leaf = true;
            JsonNode shapeOf = rhs != null ? rhs : lhs;
            boolean sameKind = lhs == null || rhs == null || lhs.getNodeType() == rhs.getNodeType();
            if (sameKind && schema.walksObject(shapeOf) && !schema.atomic() && !(empty(lhs) && empty(rhs))) {
                leaf = false;
                Set<String> keys = new LinkedHashSet<>();
                if (lhs != null) {
                    lhs.propertyNames().forEach(keys::add);
                }
                if (rhs != null) {
                    rhs.propertyNames().forEach(keys::add);
                }
                for (String key : keys) {
                    compare(lhs == null ? null : lhs.get(key), rhs == null ? null : rhs.get(key), schema.field(key),
                            path.child(new PathElement.Field(key)));
                }
            } else if (sameKind && schema.walksList(shapeOf) && !schema.atomic() && !(empty(lhs) && empty(rhs))) {
                leaf = false;
                Map<PathElement, JsonNode> left = items(lhs, schema);
                Map<PathElement, JsonNode> right = items(rhs, schema);
                ApplySchema elements = schema.elements();
                left.forEach((element, item) -> compare(item, right.get(element), elements, path.child(element)));
                right.forEach((element, item) -> {
                    if (!left.containsKey(element)) {
                        compare(null, item, elements, path.child(element));
                    }
                });
            }
            if (leaf) {
                if (lhs == null) {
                    added.add(path);
                } else if (rhs == null) {
                    removed.add(path);
                } else if (!JsonValues.same(lhs, rhs)) {
                    modified.add(path);
                }
            } else if (lhs == null) {
                added.add(path);
            } else if (rhs == null) {
                removed.add(path);
            }
        }

        private static Map<PathElement, JsonNode> items(@Nullable JsonNode list, ApplySchema schema) {
            Map<PathElement, JsonNode> items = new LinkedHashMap<>();
            if (list != null) {
                for (int i = 0; i < list.size(); i++) {
                    items.put(JsonValues.itemElement(schema, list.get(i), i), list.get(i));
                }
            }
            return items;
        }

        private static boolean empty(@Nullable JsonNode node) {
            return node == null || node.isContainer() && node.isEmpty();
        }

        private static @Nullable JsonNode present(@Nullable JsonNode node) {
            return node == null || node.isNull() || node.isMissingNode() ? null : node;
        }
    }
}
