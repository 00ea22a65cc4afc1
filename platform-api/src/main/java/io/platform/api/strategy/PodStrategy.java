package io.platform.api.strategy;

import io.platform.api.errors.StatusCause;
import io.platform.api.json.Json;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Pods: spec defaulting, a Pending status with its QoS class on create, container validation. */
final class PodStrategy implements ResourceStrategy {

    @Override
    public void prepareForCreate(ObjectNode pod) {
        ObjectNode status = Json.object();
        status.put("phase", "Pending");
        status.put("qosClass", qosClass(pod.path("spec")));
        pod.set("status", status);
    }

    @Override
    public void applyDefaults(ObjectNode pod) {
        PodDefaults.applyToSpec(Json.child(pod, "spec"));
    }

    @Override
    public List<StatusCause> validate(ObjectNode pod) {
        List<StatusCause> causes = new ArrayList<>();
        PodValidation.validateSpec(pod.path("spec"), "spec", causes);
        return causes;
    }

    @Override
    public List<StatusCause> validateUpdate(ObjectNode pod, ObjectNode old) {
        // as upstream's ValidatePodUpdate: only images, activeDeadlineSeconds and tolerations may change
        if (!mutableView(pod.path("spec")).equals(mutableView(old.path("spec")))) {
            return List.of(StatusCause.forbidden("spec", "pod updates may not change fields other than "
                    + "`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,"
                    + "`spec.tolerations` (only additions to existing tolerations),"
                    + "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)"));
        }
        return List.of();
    }

    /** The spec without the fields an update may change, for comparison. */
    private static JsonNode mutableView(JsonNode spec) {
        if (!(spec instanceof ObjectNode object)) {
            return spec;
        }
        ObjectNode copy = object.deepCopy();
        copy.remove("activeDeadlineSeconds");
        copy.remove("tolerations");
        for (String list : new String[] {"initContainers", "containers"}) {
            for (JsonNode container : copy.path(list)) {
                if (container instanceof ObjectNode c) {
                    c.remove("image");
                }
            }
        }
        return copy;
    }

    /** As upstream's GetPodQOS: Guaranteed when every container's cpu and memory requests equal its limits. */
    static String qosClass(JsonNode spec) {
        boolean any = false;
        boolean guaranteed = true;
        for (String list : new String[] {"initContainers", "containers"}) {
            for (JsonNode container : spec.path(list)) {
                JsonNode limits = container.path("resources").path("limits");
                JsonNode requests = container.path("resources").path("requests");
                if (!limits.isEmpty() || !requests.isEmpty()) {
                    any = true;
                }
                for (String resource : new String[] {"cpu", "memory"}) {
                    String limit = limits.path(resource).asString("");
                    String request = requests.path(resource).asString(limit);
                    if (limit.isEmpty() || !limit.equals(request)) {
                        guaranteed = false;
                    }
                }
            }
        }
        if (!any) {
            return "BestEffort";
        }
        return guaranteed ? "Guaranteed" : "Burstable";
    }
}
