package io.platform.api.strategy;

import io.platform.api.errors.StatusCause;
import io.platform.api.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Secrets: type Opaque by default, {@code stringData} folded into base64 {@code data}, type immutable. */
final class SecretStrategy implements ResourceStrategy {

    @Override
    public void applyDefaults(ObjectNode secret) {
        PodDefaults.putIfAbsent(secret, "type", "Opaque");
        JsonNode stringData = secret.remove("stringData");
        if (stringData != null && stringData.isObject() && !stringData.isEmpty()) {
            ObjectNode data = Json.child(secret, "data");
            Json.stringMap(stringData).forEach((k, v) ->
                    data.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
        }
    }

    @Override
    public List<StatusCause> validateUpdate(ObjectNode secret, ObjectNode old) {
        String type = secret.path("type").asString("");
        if (!type.equals(old.path("type").asString(""))) {
            return List.of(StatusCause.invalid("type", type, "field is immutable"));
        }
        return List.of();
    }
}
