package io.platform.api.strategy;

import io.platform.api.errors.StatusCause;
import io.platform.api.json.Json;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * LimitRanges: as upstream's SetDefaults_LimitRangeItem, a Container item's default limit falls back to its max,
 * and its default request to the default limit, then to the min.
 */
final class LimitRangeStrategy implements ResourceStrategy {

    private static final List<String> TYPES = List.of("Container", "Pod", "PersistentVolumeClaim");

    @Override
    public void applyDefaults(ObjectNode limitRange) {
        for (JsonNode item : limitRange.path("spec").path("limits")) {
            if (item instanceof ObjectNode limit && limit.path("type").asString("").equals("Container")) {
                fill(limit, "default", limit.path("max"));
                fill(limit, "defaultRequest", limit.path("default"));
                fill(limit, "defaultRequest", limit.path("min"));
            }
        }
    }

    private static void fill(ObjectNode limit, String field, JsonNode from) {
        if (from.isEmpty()) {
            return;
        }
        ObjectNode target = Json.child(limit, field);
        from.properties().forEach(e -> {
            if (!target.has(e.getKey())) {
                target.set(e.getKey(), e.getValue());
            }
        });
    }

    @Override
    public List<StatusCause> validate(ObjectNode limitRange) {
        List<StatusCause> causes = new ArrayList<>();
        int i = 0;
        for (JsonNode item : limitRange.path("spec").path("limits")) {
            Values.requiredSupported(item, "type", "spec.limits[" + i++ + "].type", TYPES, causes);
        }
        return causes;
    }
}
