package io.platform.api.strategy;

import io.platform.api.errors.StatusCause;
import io.platform.api.json.Json;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** ResourceQuotas: status belongs to the quota controller; scopes are the ones Kubernetes knows. */
final class ResourceQuotaStrategy implements ResourceStrategy {

    private static final List<String> SCOPES = List.of("Terminating", "NotTerminating", "BestEffort", "NotBestEffort",
            "PriorityClass", "CrossNamespacePodAffinity");

    @Override
    public void prepareForCreate(ObjectNode quota) {
        quota.set("status", Json.object());
    }

    @Override
    public List<StatusCause> validate(ObjectNode quota) {
        List<StatusCause> causes = new ArrayList<>();
        JsonNode spec = quota.path("spec");
        int i = 0;
        for (JsonNode scope : spec.path("scopes")) {
            if (!SCOPES.contains(scope.asString(""))) {
                causes.add(StatusCause.notSupported("spec.scopes[" + i + "]", scope.asString(""), SCOPES));
            }
            i++;
        }
        spec.path("hard").properties().forEach(e -> {
            if (!e.getValue().isString() && !e.getValue().isNumber()) {
                causes.add(StatusCause.invalid("spec.hard[" + e.getKey() + "]", Values.display(e.getValue()),
                        "must be a quantity"));
            }
        });
        return causes;
    }
}
