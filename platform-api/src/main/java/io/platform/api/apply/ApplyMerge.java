package io.platform.api.apply;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Merges an applied configuration into the live object, as structured-merge-diff's {@code Merge}: structs and maps
 * key by key, associative lists and sets item by item (the configuration's order for the items it names, live-only
 * items kept in place), scalars and atomic values replaced by the configuration's.
 */
final class ApplyMerge {

    private ApplyMerge() {}

    /**
     * @throws IllegalArgumentException when the configuration has an associative list item without its keys
     */
    static JsonNode merge(@Nullable JsonNode live, JsonNode config, ApplySchema schema) {
        if (live == null || live.isNull() || live.getNodeType() != config.getNodeType()) {
            return config.deepCopy();
        }
        if (schema.walksObject(config) && !schema.atomic()) {
            ObjectNode result = ((ObjectNode) live).deepCopy();
            for (var entry : config.properties()) {
                if (entry.getValue().isNull()) {
                    result.remove(entry.getKey());
                    continue;
                }
                result.set(entry.getKey(), merge(live.get(entry.getKey()), entry.getValue(), schema.field(entry.getKey())));
            }
            return result;
        }
        if (schema.walksList(config) && !schema.atomic()) {
            return mergeList((ArrayNode) live, (ArrayNode) config, schema);
        }
        return config.deepCopy();
    }

    /** The item order of upstream's merging walker: shared items follow the configuration's order. */
    private static ArrayNode mergeList(ArrayNode live, ArrayNode config, ApplySchema schema) {
        ApplySchema elements = schema.elements();
        List<PathElement> rhs = new ArrayList<>();
        Map<PathElement, JsonNode> rhsItems = new LinkedHashMap<>();
        for (int i = 0; i < config.size(); i++) {
            PathElement element = schema.itemElement(config.get(i), i);
            rhs.add(element);
            rhsItems.put(element, config.get(i));
        }
        List<PathElement> lhs = new ArrayList<>();
        Map<PathElement, JsonNode> lhsItems = new LinkedHashMap<>();
        for (int i = 0; i < live.size(); i++) {
            PathElement element = JsonValues.itemElement(schema, live.get(i), i);
            lhs.add(element);
            lhsItems.putIfAbsent(element, live.get(i));
        }
        List<PathElement> shared = new ArrayList<>(rhs.stream().filter(lhsItems::containsKey).toList());
        PathElement nextShared = shared.isEmpty() ? null : shared.removeFirst();
        Set<PathElement> merged = new HashSet<>();
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        int l = 0;
        int r = 0;
        while (l < lhs.size() || r < rhs.size()) {
            if (l < lhs.size() && r < rhs.size()) {
                PathElement element = lhs.get(l);
                if (element.equals(rhs.get(r))) {
                    merged.add(element);
                    out.add(merge(lhsItems.get(element), rhsItems.get(element), elements));
                    l++;
                    r++;
                    nextShared = shared.isEmpty() ? null : shared.removeFirst();
                    continue;
                }
                if (rhsItems.containsKey(element) && nextShared != null && !nextShared.equals(element)) {
                    l++;
                    continue;
                }
            }
            if (l < lhs.size()) {
                PathElement element = lhs.get(l);
                if (!rhsItems.containsKey(element)) {
                    out.add(live.get(l).deepCopy());
                    l++;
                    continue;
                }
                if (merged.contains(element)) {
                    l++;
                    continue;
                }
            }
            if (r < rhs.size()) {
                PathElement element = rhs.get(r);
                merged.add(element);
                out.add(merge(lhsItems.get(element), rhsItems.get(element), elements));
                r++;
                if (nextShared != null && nextShared.equals(element)) {
                    nextShared = shared.isEmpty() ? null : shared.removeFirst();
                }
            }
        }
        return out;
    }
}
