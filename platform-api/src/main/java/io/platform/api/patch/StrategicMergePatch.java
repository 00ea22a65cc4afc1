package io.platform.api.patch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Kubernetes strategic merge patch ({@code kubectl apply}, {@code kubectl patch}), as apimachinery's
 * {@code strategicpatch} applies it on the server: maps merge recursively and {@code null} deletes; lists
 * whose field has strategy {@code merge} merge their items by merge key (or union primitives), other lists
 * are replaced; directives {@code $patch}, {@code $retainKeys}, {@code $setElementOrder/<list>} and
 * {@code $deleteFromPrimitiveList/<list>} are honoured. Format errors are 400s, content that cannot be
 * merged is a 422.
 */
final class StrategicMergePatch {

    static final String PATCH = "$patch";
    static final String RETAIN_KEYS = "$retainKeys";
    static final String SET_ELEMENT_ORDER = "$setElementOrder/";
    static final String DELETE_FROM_PRIMITIVE_LIST = "$deleteFromPrimitiveList/";

    private StrategicMergePatch() {
    }

    static ObjectNode apply(ObjectNode original, ObjectNode patch, ModelSchema schema) {
        return mergeMap(original, patch.deepCopy(), schema);
    }

    private static ObjectNode mergeMap(ObjectNode original, ObjectNode patch, ModelSchema schema) {
        JsonNode directive = patch.get(PATCH);
        if (directive != null) {
            return switch (directive.asString("")) {
                case "replace" -> {
                    patch.remove(PATCH);
                    yield (ObjectNode) Objects.requireNonNull(Directives.clean(patch));
                }
                case "delete" -> JsonNodeFactory.instance.objectNode();
                default -> throw new PatchException(400, "invalid " + PATCH + " directive " + directive + " in a map; use replace or delete");
            };
        }
        retainKeys(original, patch);
        applyElementOrders(original, patch, schema);
        for (Map.Entry<String, JsonNode> entry : new ArrayList<>(patch.properties())) {
            mergeField(original, entry.getKey(), entry.getValue(), schema);
        }
        return original;
    }

    private static void mergeField(ObjectNode original, String patchKey, JsonNode value, ModelSchema schema) {
        boolean deleteList = patchKey.startsWith(DELETE_FROM_PRIMITIVE_LIST);
        if (patchKey.startsWith("$") && !deleteList) {
            // other directive-like keys are not fields; the Go decoder drops them
            return;
        }
        String key = deleteList ? listName(patchKey, DELETE_FROM_PRIMITIVE_LIST) : patchKey;
        if (value.isNull()) {
            original.remove(key);
            return;
        }
        JsonNode current = original.get(key);
        if (current == null || current.getNodeType() != value.getNodeType()) {
            if (!deleteList) {
                setOrRemove(original, key, Directives.clean(value));
            }
            return;
        }
        PatchStrategy strategy = schema.strategy(key).orElse(null);
        if (current instanceof ObjectNode currentMap) {
            if ("replace".equals(strategyBesidesRetainKeys(strategy))) {
                setOrRemove(original, key, Directives.clean(value));
            } else {
                original.set(key, mergeMap(currentMap, (ObjectNode) value, schema.field(key)));
            }
        } else if (current instanceof ArrayNode currentList) {
            original.set(key, "merge".equals(strategyBesidesRetainKeys(strategy)) || deleteList
                    ? mergeList(currentList, (ArrayNode) value, schema.field(key).elements(), mergeKey(strategy), deleteList).items()
                    : Directives.clean(value));
        } else {
            original.set(key, value);
        }
    }

    /** {@code $retainKeys}: drop every original key the list does not name; the patch may only set named keys. */
    private static void retainKeys(ObjectNode original, ObjectNode patch) {
        JsonNode retain = patch.remove(RETAIN_KEYS);
        if (retain == null) {
            return;
        }
        if (!retain.isArray()) {
            throw new PatchException(400, RETAIN_KEYS + " must be a list of field names");
        }
        List<String> keys = new ArrayList<>();
        retain.forEach(key -> keys.add(key.asString("")));
        for (Map.Entry<String, JsonNode> entry : patch.properties()) {
            String key = entry.getKey();
            if (!entry.getValue().isNull() && !key.startsWith(DELETE_FROM_PRIMITIVE_LIST)
                    && !key.startsWith(SET_ELEMENT_ORDER) && !keys.contains(key)) {
                throw new PatchException(400, "the patch sets \"" + key + "\" which its " + RETAIN_KEYS + " list does not name");
            }
        }
        original.propertyNames().stream().filter(key -> !keys.contains(key)).toList().forEach(original::remove);
    }

    /** {@code $setElementOrder/<list>}: merge that list now and order it as the directive says. */
    private static void applyElementOrders(ObjectNode original, ObjectNode patch, ModelSchema schema) {
        for (String directiveKey : patch.propertyNames().stream().filter(k -> k.startsWith(SET_ELEMENT_ORDER)).toList()) {
            JsonNode order = patch.remove(directiveKey);
            String key = listName(directiveKey, SET_ELEMENT_ORDER);
            if (!(order instanceof ArrayNode orderList)) {
                throw new PatchException(400, directiveKey + " must be a list");
            }
            JsonNode current = original.get(key);
            JsonNode patchList = patch.remove(key);
            if (current != null && !current.isArray() || patchList != null && !patchList.isArray()) {
                throw new PatchException(422, "\"" + key + "\" must be a list to be ordered by " + directiveKey);
            }
            if (current == null && patchList == null) {
                continue;
            }
            PatchStrategy strategy = schema.strategy(key).orElse(null);
            String mergeKey = mergeKey(strategy);
            ListItems items = new ListItems(mergeKey);
            if (patchList != null) {
                items.checkOrder((ArrayNode) patchList, orderList, directiveKey);
            }
            MergedList merged;
            if (current == null) {
                ArrayNode added = (ArrayNode) Objects.requireNonNull(Directives.clean(patchList));
                merged = new MergedList(added, JsonNodeFactory.instance.arrayNode());
            } else if (patchList == null) {
                merged = new MergedList((ArrayNode) current, (ArrayNode) current);
            } else if ("merge".equals(strategyBesidesRetainKeys(strategy))) {
                merged = mergeList((ArrayNode) current, (ArrayNode) patchList, schema.field(key).elements(), mergeKey, false);
            } else {
                merged = new MergedList((ArrayNode) Objects.requireNonNull(Directives.clean(patchList)), (ArrayNode) current);
            }
            original.set(key, items.order(merged.items(), orderList, merged.serverOrder()));
        }
    }

    /**
     * Merges a patch list into an original list. Besides the items, it returns the server order that
     * {@code $setElementOrder} weaves server-only items by: apimachinery deletes and appends in place in the
     * original list's storage, so that order is the original's length of (survivors, then appended items).
     */
    private static MergedList mergeList(ArrayNode original, ArrayNode patch, ModelSchema elements, @Nullable String mergeKey,
            boolean deleteList) {
        if (original.isEmpty() && patch.isEmpty()) {
            return new MergedList(original, original);
        }
        if (!ListItems.elementsAreMaps(original, patch)) {
            return new MergedList(mergePrimitives(original, patch, deleteList), original);
        }
        if (mergeKey == null) {
            throw new PatchException(422, "cannot merge lists of objects without a merge key for " + elements.name());
        }
        ListItems items = new ListItems(mergeKey);
        List<JsonNode> storage = new ArrayList<>();
        original.forEach(storage::add);
        int length = storage.size();
        ArrayNode plain = JsonNodeFactory.instance.arrayNode();
        boolean replace = false;
        for (JsonNode item : patch) {
            JsonNode directive = item.get(PATCH);
            if (directive == null) {
                plain.add(item);
                continue;
            }
            switch (directive.asString("")) {
                case "delete" -> length = items.removeAll(storage, length, items.key(item));
                case "replace" -> replace = true;
                case "merge" -> throw new PatchException(400, "merging lists cannot be requested with " + PATCH + ": merge");
                default -> throw new PatchException(400, "invalid " + PATCH + " directive " + directive + " in a list item");
            }
        }
        ArrayNode remaining = JsonNodeFactory.instance.arrayNode();
        storage.subList(0, length).forEach(item -> remaining.add(item.deepCopy()));
        if (replace) {
            ArrayNode replaced = (ArrayNode) Objects.requireNonNull(Directives.clean(plain));
            return new MergedList(items.order(replaced, JsonNodeFactory.instance.arrayNode(), replaced), array(storage));
        }
        ArrayNode merged = remaining.deepCopy();
        for (JsonNode item : plain) {
            int index = items.indexOf(merged, item);
            if (index >= 0) {
                merged.set(index, mergeMap((ObjectNode) merged.get(index), (ObjectNode) item, elements));
            } else {
                merged.add(Directives.clean(item));
                if (length < storage.size()) {
                    storage.set(length++, item);
                }
            }
        }
        return new MergedList(items.order(merged, plain, remaining), array(storage));
    }

    private static ArrayNode mergePrimitives(ArrayNode original, ArrayNode patch, boolean deleteList) {
        ListItems values = new ListItems(null);
        ArrayNode merged = JsonNodeFactory.instance.arrayNode();
        if (deleteList) {
            original.forEach(item -> {
                if (values.indexOf(patch, item) < 0) {
                    merged.add(item);
                }
            });
            return merged;
        }
        for (ArrayNode list : List.of(original, patch)) {
            list.forEach(item -> {
                if (values.indexOf(merged, item) < 0) {
                    merged.add(item);
                }
            });
        }
        return values.order(merged, patch, original);
    }

    private static ArrayNode array(List<JsonNode> items) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        items.forEach(array::add);
        return array;
    }

    private record MergedList(ArrayNode items, ArrayNode serverOrder) {
    }

    /** {@code merge} or {@code replace} of a strategy like {@code merge,retainKeys}; retainKeys works through its directive. */
    private static @Nullable String strategyBesidesRetainKeys(@Nullable PatchStrategy strategy) {
        if (strategy == null) {
            return null;
        }
        return Arrays.stream(strategy.strategy().split(",")).filter(s -> !s.equals("retainKeys")).findFirst().orElse(null);
    }

    private static @Nullable String mergeKey(@Nullable PatchStrategy strategy) {
        return strategy == null ? null : strategy.mergeKey();
    }

    private static String listName(String directiveKey, String prefix) {
        String name = directiveKey.substring(prefix.length());
        if (name.isEmpty()) {
            throw new PatchException(400, "directive \"" + directiveKey + "\" does not name a field");
        }
        return name;
    }

    private static void setOrRemove(ObjectNode target, String key, @Nullable JsonNode value) {
        if (value == null) {
            target.remove(key);
        } else {
            target.set(key, value);
        }
    }
}
