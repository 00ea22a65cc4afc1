package io.platform.api.admission.priority;

import io.platform.api.admission.AdmissionOrder;
import io.platform.api.admission.AdmissionPlugin;
import io.platform.api.admission.AdmissionRequest;
import io.platform.api.admission.AdmissionRequest.Operation;
import io.platform.api.admission.ObjectLookup;
import io.platform.api.errors.ApiException;
import io.platform.api.json.Json;
import io.platform.api.registry.BuiltinResources;
import io.platform.api.registry.ResourceType;
import java.util.Map;
import java.util.Optional;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * As kube-apiserver's Priority plugin: a created pod's {@code priority} (and {@code preemptionPolicy}) come from its
 * {@code priorityClassName}'s PriorityClass ({@code system-node-critical} and {@code system-cluster-critical} built in
 * when no object of that name exists), or, without a class, from the global default class (the highest-valued one
 * marked {@code globalDefault}), else 0. An unknown class, or a priority or preemption policy the pod sets itself that
 * differs from the class's, is refused with 403. Only one PriorityClass may be the global default.
 */
@Component
@Order(AdmissionOrder.PRIORITY)
public final class PriorityAdmission implements AdmissionPlugin {

    static final Map<String, Integer> SYSTEM_CLASSES = Map.of(
            "system-node-critical", 2_000_001_000,
            "system-cluster-critical", 2_000_000_000);
    private static final String DEFAULT_PREEMPTION = "PreemptLowerPriority";
    private static final ResourceType CLASSES = BuiltinResources.find("scheduling.k8s.io", "v1", "priorityclasses")
            .orElseThrow();

    private final ObjectLookup lookup;

    public PriorityAdmission(ObjectLookup lookup) {
        this.lookup = lookup;
    }

    @Override
    public String name() {
        return "Priority";
    }

    @Override
    public void mutate(AdmissionRequest request) {
        if (!request.creates("", "pods")) {
            return;
        }
        ObjectNode spec = Json.child(request.object(), "spec");
        String className = spec.path("priorityClassName").asString("");
        long priority;
        String preemption;
        if (className.isEmpty()) {
            Optional<ObjectNode> global = globalDefault();
            if (global.isPresent()) {
                className = global.get().path("metadata").path("name").asString("");
                spec.put("priorityClassName", className);
            }
            priority = global.map(c -> c.path("value").asLong(0)).orElse(0L);
            preemption = global.map(c -> c.path("preemptionPolicy").asString(DEFAULT_PREEMPTION)).orElse(DEFAULT_PREEMPTION);
        } else {
            String name = className;
            Optional<ObjectNode> found = lookup.get(CLASSES, null, name);
            if (found.isPresent()) {
                priority = found.get().path("value").asLong(0);
                preemption = found.get().path("preemptionPolicy").asString(DEFAULT_PREEMPTION);
            } else if (SYSTEM_CLASSES.containsKey(name)) {
                priority = SYSTEM_CLASSES.get(name);
                preemption = DEFAULT_PREEMPTION;
            } else {
                throw ApiException.forbidden(request.type(), request.name(),
                        "no PriorityClass with name " + name + " was found");
            }
        }
        JsonNode given = spec.path("priority");
        if (given.isNumber() && given.asLong() != priority) {
            throw ApiException.forbidden(request.type(), request.name(), "the integer value of priority ("
                    + given.asLong() + ") must not be provided in pod spec; priority admission controller computed "
                    + priority + " from the given PriorityClass name");
        }
        String givenPreemption = spec.path("preemptionPolicy").asString("");
        if (!givenPreemption.isEmpty() && !givenPreemption.equals(preemption)) {
            throw ApiException.forbidden(request.type(), request.name(), "the string value of PreemptionPolicy ("
                    + givenPreemption + ") must not be provided in pod spec; priority admission controller computed "
                    + preemption + " from the given PriorityClass name");
        }
        spec.put("priority", priority);
        spec.put("preemptionPolicy", preemption);
    }

    /** A second global default is refused, as upstream's PriorityClass admission. */
    @Override
    public void validate(AdmissionRequest request) {
        if (!request.isMain("scheduling.k8s.io", "priorityclasses") || request.operation() == Operation.DELETE
                || !request.object().path("globalDefault").asBoolean(false)) {
            return;
        }
        for (ObjectNode other : lookup.list(CLASSES, null)) {
            String name = other.path("metadata").path("name").asString("");
            if (other.path("globalDefault").asBoolean(false) && !name.equals(request.name())) {
                throw ApiException.forbidden(request.type(), request.name(), "PriorityClass " + name
                        + " is already marked as default. Only one default can exist");
            }
        }
    }

    private Optional<ObjectNode> globalDefault() {
        ObjectNode best = null;
        for (ObjectNode candidate : lookup.list(CLASSES, null)) {
            if (candidate.path("globalDefault").asBoolean(false)
                    && (best == null || candidate.path("value").asLong(0) > best.path("value").asLong(0))) {
                best = candidate;
            }
        }
        return Optional.ofNullable(best);
    }
}
