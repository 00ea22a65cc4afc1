package io.platform.api.strategy;

import io.platform.api.errors.StatusCause;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/** Validation of a PodSpec, for pods and pod templates, with upstream's field paths and messages. */
final class PodValidation {

    private static final List<String> RESTART_POLICIES = List.of("Always", "OnFailure", "Never");

    private PodValidation() {}

    static void validateSpec(JsonNode spec, String path, List<StatusCause> causes) {
        JsonNode containers = spec.path("containers");
        if (!containers.isArray() || containers.isEmpty()) {
            causes.add(StatusCause.required(path + ".containers", ""));
        }
        Set<String> names = new HashSet<>();
        validateContainers(spec.path("initContainers"), path + ".initContainers", names, causes);
        validateContainers(containers, path + ".containers", names, causes);
        String restartPolicy = spec.path("restartPolicy").asString("");
        if (!restartPolicy.isEmpty() && !RESTART_POLICIES.contains(restartPolicy)) {
            causes.add(StatusCause.notSupported(path + ".restartPolicy", restartPolicy, RESTART_POLICIES));
        }
        JsonNode grace = spec.path("terminationGracePeriodSeconds");
        if (grace.isNumber() && grace.asLong() < 0) {
            causes.add(StatusCause.invalidNumber(path + ".terminationGracePeriodSeconds", grace.asLong(),
                    "must be greater than or equal to 0"));
        }
    }

    /** Controllers accept only some restart policies (Always for workloads, OnFailure or Never for jobs). */
    static void requireRestartPolicy(JsonNode spec, String path, List<String> allowed, List<StatusCause> causes) {
        String policy = spec.path("restartPolicy").asString("");
        if (!allowed.contains(policy)) {
            causes.add(StatusCause.notSupported(path, policy, allowed));
        }
    }

    private static void validateContainers(JsonNode containers, String path, Set<String> names,
            List<StatusCause> causes) {
        int i = 0;
        for (JsonNode container : containers) {
            String at = path + "[" + i++ + "]";
            String name = container.path("name").asString("");
            if (name.isEmpty()) {
                causes.add(StatusCause.required(at + ".name", ""));
            } else {
                for (String problem : NameRule.DNS_LABEL.problems(name)) {
                    causes.add(StatusCause.invalid(at + ".name", name, problem));
                }
                if (!names.add(name)) {
                    causes.add(new StatusCause("FieldValueDuplicate", at + ".name", "Duplicate value: \"" + name + "\""));
                }
            }
            if (container.path("image").asString("").isBlank()) {
                causes.add(StatusCause.required(at + ".image", ""));
            }
            int p = 0;
            for (JsonNode port : container.path("ports")) {
                long number = port.path("containerPort").asLong(0);
                if (number < 1 || number > 65535) {
                    causes.add(StatusCause.invalidNumber(at + ".ports[" + p + "].containerPort", number,
                            "must be between 1 and 65535, inclusive"));
                }
                p++;
            }
        }
    }
}
