package io.platform.api.resource;

import io.platform.api.conversion.StoredForm;
import io.platform.api.json.Json;
import io.platform.api.registry.ResourceType;
import io.platform.api.storage.KeyValue;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ObjectNode;

/** Store keys of objects and the decoding of stored values into objects with their resourceVersion. */
public final class ObjectKeys {

    private ObjectKeys() {}

    public static String key(ResourceType type, @Nullable String namespace, String name) {
        return prefix(type, namespace) + name;
    }

    /** All objects of a type ({@code namespace} null or for cluster-scoped types) or of one namespace. */
    public static String prefix(ResourceType type, @Nullable String namespace) {
        return type.namespaced() && namespace != null ? type.keyPrefix() + namespace + "/" : type.keyPrefix();
    }

    /** The stored object with {@code metadata.resourceVersion} set from the revision that wrote it. */
    public static ObjectNode decode(KeyValue kv) {
        ObjectNode object = Json.parseObject(kv.value());
        Json.metadata(object).put("resourceVersion", Long.toString(kv.modRevision()));
        return object;
    }

    /** The stored object as {@code type} serves it (converted where the served version is not the stored one). */
    public static ObjectNode decode(ResourceType type, KeyValue kv) {
        return StoredForm.toServed(type, decode(kv));
    }

    /** The bytes to store of an object as {@code type} serves it. */
    static byte[] encode(ResourceType type, ObjectNode object) {
        return encode(StoredForm.toStored(type, object));
    }

    /** The bytes to store: the object without its resourceVersion, which the store's revision supplies. */
    static byte[] encode(ObjectNode object) {
        if (!object.path("metadata").has("resourceVersion")) {
            return Json.bytes(object);
        }
        ObjectNode copy = object.deepCopy();
        Json.metadata(copy).remove("resourceVersion");
        return Json.bytes(copy);
    }
}
