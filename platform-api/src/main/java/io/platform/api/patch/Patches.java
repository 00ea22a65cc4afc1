package io.platform.api.patch;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Applies JSON patch, JSON merge patch and strategic merge patch to an object. */
public final class Patches {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Patches() {
    }

    /**
     * Applies {@code patch} to a copy of {@code current} and returns the result. {@code modelClass} is the
     * client-java-api class of the root (e.g. {@code V1Deployment.class}), used to find list merge keys.
     *
     * @throws PatchException 400 when the patch is unparsable, 422 when it cannot be applied
     */
    public static ObjectNode apply(PatchType type, ObjectNode current, byte[] patch, Class<?> modelClass) {
        JsonNode parsed = parse(patch);
        JsonNode result = switch (type) {
            case JSON -> JsonPatch.apply(current.deepCopy(), parsed);
            case MERGE -> JsonMergePatch.apply(current.deepCopy(), object(parsed, type));
            case STRATEGIC_MERGE -> StrategicMergePatch.apply(current.deepCopy(), object(parsed, type), ModelSchema.of(modelClass));
        };
        if (!(result instanceof ObjectNode object)) {
            throw new PatchException(422, "the patched document is not a JSON object");
        }
        return object;
    }

    private static JsonNode parse(byte[] patch) {
        try {
            return JSON.readTree(patch);
        } catch (JacksonException e) {
            throw new PatchException(400, "the patch is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static ObjectNode object(JsonNode patch, PatchType type) {
        if (!(patch instanceof ObjectNode object)) {
            throw new PatchException(400, "a " + type.mediaType() + " patch must be a JSON object");
        }
        return object;
    }
}
