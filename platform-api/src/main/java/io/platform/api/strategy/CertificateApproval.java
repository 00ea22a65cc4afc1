package io.platform.api.strategy;

import io.platform.api.errors.ApiException;
import io.platform.api.errors.StatusCause;
import io.platform.api.json.Json;
import io.platform.api.registry.ResourceType;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code certificatesigningrequests/{name}/approval} subresource, as upstream's approval strategy: only the
 * Approved and Denied conditions come from the request, everything else from the stored object; conditions get
 * status True and timestamps by default; Approved and Denied exclude each other.
 */
public final class CertificateApproval {

    private static final Set<String> APPROVAL_TYPES = Set.of("Approved", "Denied");

    private CertificateApproval() {}

    /**
     * The stored request with the approval conditions of {@code body}; throws 422 when they contradict.
     * The resourceVersion of the body is kept as the update's precondition.
     */
    public static ObjectNode apply(ResourceType type, ObjectNode current, ObjectNode body, Instant now) {
        ArrayNode conditions = Json.array();
        for (JsonNode condition : current.path("status").path("conditions")) {
            if (!APPROVAL_TYPES.contains(condition.path("type").asString(""))) {
                conditions.add(condition);
            }
        }
        String timestamp = now.truncatedTo(ChronoUnit.SECONDS).toString();
        for (JsonNode condition : body.path("status").path("conditions")) {
            if (condition instanceof ObjectNode c && APPROVAL_TYPES.contains(c.path("type").asString(""))) {
                ObjectNode copy = c.deepCopy();
                PodDefaults.putIfAbsent(copy, "status", "True");
                PodDefaults.putIfAbsent(copy, "lastUpdateTime", timestamp);
                PodDefaults.putIfAbsent(copy, "lastTransitionTime", timestamp);
                conditions.add(copy);
            }
        }
        List<StatusCause> causes = new ArrayList<>();
        validateConditions(conditions, causes);
        keepsDecisions(conditions, current.path("status").path("conditions"), causes);
        if (!causes.isEmpty()) {
            throw ApiException.invalid(type, current.path("metadata").path("name").asString(""), causes);
        }
        ObjectNode next = current.deepCopy();
        Json.child(next, "status").set("conditions", conditions);
        String resourceVersion = body.path("metadata").path("resourceVersion").asString("");
        if (resourceVersion.isEmpty()) {
            Json.metadata(next).remove("resourceVersion");
        } else {
            Json.metadata(next).put("resourceVersion", resourceVersion);
        }
        return next;
    }

    /**
     * As upstream's update validation: an Approved, Denied or Failed condition once written is never removed, so a
     * decision is final (an approved request is never denied afterwards).
     */
    static void keepsDecisions(JsonNode conditions, JsonNode oldConditions, List<StatusCause> causes) {
        for (String type : List.of("Approved", "Denied", "Failed")) {
            if (count(conditions, type) < count(oldConditions, type)) {
                causes.add(StatusCause.forbidden("status.conditions",
                        "updates may not remove a condition of type \"" + type + "\""));
            }
        }
    }

    static int count(JsonNode conditions, String type) {
        int count = 0;
        for (JsonNode condition : conditions) {
            if (condition.path("type").asString("").equals(type)) {
                count++;
            }
        }
        return count;
    }

    static void validateConditions(JsonNode conditions, List<StatusCause> causes) {
        boolean approved = false;
        boolean denied = false;
        int i = 0;
        for (JsonNode condition : conditions) {
            String at = "status.conditions[" + i++ + "]";
            String type = condition.path("type").asString("");
            if (type.isEmpty()) {
                causes.add(StatusCause.required(at + ".type", ""));
            }
            Values.supported(condition, "status", at + ".status", List.of("True", "False", "Unknown"), causes);
            boolean isTrue = condition.path("status").asString("True").equals("True");
            approved |= type.equals("Approved") && isTrue;
            denied |= type.equals("Denied") && isTrue;
        }
        if (approved && denied) {
            causes.add(StatusCause.invalid("status.conditions", "Approved,Denied",
                    "Approved and Denied conditions are mutually exclusive"));
        }
    }
}
