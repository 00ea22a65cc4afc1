package io.platform.api.strategy;

import io.platform.api.errors.StatusCause;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * PriorityClasses, as scheduling.k8s.io/v1: PreemptLowerPriority by default, user classes up to one billion,
 * the {@code system-} prefix reserved for Kubernetes' own classes, value and policy fixed once set.
 */
final class PriorityClassStrategy implements ResourceStrategy {

    private static final long HIGHEST_USER_PRIORITY = 1_000_000_000L;
    private static final Map<String, Long> SYSTEM_CLASSES =
            Map.of("system-node-critical", 2_000_001_000L, "system-cluster-critical", 2_000_000_000L);
    private static final List<String> POLICIES = List.of("Never", "PreemptLowerPriority");

    @Override
    public void applyDefaults(ObjectNode priorityClass) {
        PodDefaults.putIfAbsent(priorityClass, "preemptionPolicy", "PreemptLowerPriority");
    }

    @Override
    public List<StatusCause> validate(ObjectNode priorityClass) {
        List<StatusCause> causes = new ArrayList<>();
        String name = priorityClass.path("metadata").path("name").asString("");
        long value = priorityClass.path("value").asLong(0);
        Long system = SYSTEM_CLASSES.get(name);
        if (system != null) {
            if (value != system) {
                causes.add(StatusCause.forbidden("metadata.name", "the value of " + name + " must be " + system));
            }
        } else if (name.startsWith("system-")) {
            causes.add(StatusCause.invalid("metadata.name", name,
                    "priority class names with 'system-' prefix are reserved for system use only"));
        } else if (value > HIGHEST_USER_PRIORITY) {
            causes.add(StatusCause.forbidden("value",
                    "maximum allowed value of a user defined priority is " + HIGHEST_USER_PRIORITY));
        }
        Values.supported(priorityClass, "preemptionPolicy", "preemptionPolicy", POLICIES, causes);
        return causes;
    }

    @Override
    public List<StatusCause> validateUpdate(ObjectNode priorityClass, ObjectNode old) {
        List<StatusCause> causes = new ArrayList<>();
        if (priorityClass.path("value").asLong(0) != old.path("value").asLong(0)) {
            causes.add(StatusCause.forbidden("value", "may not be changed in an update."));
        }
        JsonNode policy = priorityClass.path("preemptionPolicy");
        Values.immutable(policy, old.path("preemptionPolicy"), "preemptionPolicy", causes);
        return causes;
    }
}
