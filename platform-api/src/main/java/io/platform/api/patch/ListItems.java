package io.platform.api.patch;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.JsonNodeType;

/**
 * Identity and order of list items in strategic merge patch: objects are the same item when their merge
 * key values are equal, primitives when they are equal. Merged lists are ordered as apimachinery orders
 * them: items named by the patch (or its {@code $setElementOrder}) in that order, the other items in
 * their server order, woven together by their server positions.
 */
final class ListItems {

    private final @Nullable String mergeKey;

    ListItems(@Nullable String mergeKey) {
        this.mergeKey = mergeKey;
    }

    /** Whether the items are objects; lists of lists and mixed lists cannot be merged. */
    static boolean elementsAreMaps(ArrayNode original, ArrayNode patch) {
        JsonNodeType type = null;
        for (ArrayNode list : List.of(original, patch)) {
            for (JsonNode item : list) {
                if (item.isArray()) {
                    throw new PatchException(422, "lists of lists cannot be merged");
                }
                if (type != null && type != item.getNodeType()) {
                    throw new PatchException(422, "list items of different types cannot be merged: " + original + " and " + patch);
                }
                type = item.getNodeType();
            }
        }
        return type == JsonNodeType.OBJECT;
    }

    /** The merge key value of an object item (required), or a primitive item itself. */
    JsonNode key(JsonNode item) {
        if (mergeKey == null) {
            return item;
        }
        JsonNode value = item.get(mergeKey);
        if (value == null) {
            throw new PatchException(422, "list item " + item + " has no merge key \"" + mergeKey + "\"");
        }
        return value;
    }

    int indexOf(ArrayNode list, JsonNode item) {
        JsonNode wanted = key(item);
        for (int i = 0; i < list.size(); i++) {
            JsonNode candidate = mergeKey == null ? list.get(i) : list.get(i).get(mergeKey);
            if (candidate != null && same(candidate, wanted)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Removes the items with this merge key value from the first {@code length} items of {@code storage}, shifting
     * the later ones down in place as Go's {@code append(s[:i], s[i+1:]...)} does; returns the new length.
     */
    int removeAll(List<JsonNode> storage, int length, JsonNode keyValue) {
        int remaining = length;
        for (int i = 0; i < remaining; i++) {
            JsonNode candidate = storage.get(i).get(mergeKey);
            if (candidate != null && same(candidate, keyValue)) {
                for (int k = i; k < remaining - 1; k++) {
                    storage.set(k, storage.get(k + 1));
                }
                remaining--;
                i--;
            }
        }
        return remaining;
    }

    /** The items a patch list names must appear in the same relative order in its {@code $setElementOrder} list. */
    void checkOrder(ArrayNode patchList, ArrayNode orderList, String directive) {
        int position = 0;
        for (JsonNode item : patchList) {
            if (item.has(StrategicMergePatch.PATCH)) {
                continue;
            }
            while (position < orderList.size() && !same(key(orderList.get(position)), key(item))) {
                position++;
            }
            if (position == orderList.size()) {
                throw new PatchException(400, "the order of the patch list " + patchList + " does not match " + directive + " " + orderList);
            }
            position++;
        }
    }

    /** Orders {@code merged}: items named by {@code patchOrder} in its order, woven into the rest by {@code serverOrder}. */
    ArrayNode order(ArrayNode merged, ArrayNode patchOrder, ArrayNode serverOrder) {
        List<JsonNode> named = new ArrayList<>();
        List<JsonNode> serverOnly = new ArrayList<>();
        merged.forEach(item -> (indexOf(patchOrder, item) >= 0 ? named : serverOnly).add(item));
        named.sort(Comparator.comparingInt(item -> indexOf(patchOrder, item)));
        serverOnly.sort(Comparator.comparingInt(item -> position(serverOrder, item)));
        ArrayNode result = JsonNodeFactory.instance.arrayNode();
        int i = 0;
        int j = 0;
        while (i < serverOnly.size() || j < named.size()) {
            if (j == named.size() || i < serverOnly.size() && before(serverOnly.get(i), named.get(j), serverOrder)) {
                result.add(serverOnly.get(i++));
            } else {
                result.add(named.get(j++));
            }
        }
        return result;
    }

    private boolean before(JsonNode serverItem, JsonNode namedItem, ArrayNode serverOrder) {
        int left = indexOf(serverOrder, serverItem);
        int right = indexOf(serverOrder, namedItem);
        return left >= 0 && right >= 0 && left < right;
    }

    private int position(ArrayNode list, JsonNode item) {
        int index = indexOf(list, item);
        return index < 0 ? Integer.MAX_VALUE : index;
    }

    private static boolean same(JsonNode a, JsonNode b) {
        return a.isNumber() && b.isNumber() ? a.decimalValue().compareTo(b.decimalValue()) == 0 : a.equals(b);
    }
}
