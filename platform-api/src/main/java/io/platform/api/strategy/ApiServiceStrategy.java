package io.platform.api.strategy;

import io.platform.api.errors.StatusCause;
import io.platform.api.json.Json;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * APIServices, as apiregistration.k8s.io/v1: named {@code <version>.<group>}, positive priorities, a service port
 * of 443 by default; no service means the group is served locally.
 */
final class ApiServiceStrategy implements ResourceStrategy {

    @Override
    public void prepareForCreate(ObjectNode apiService) {
        apiService.set("status", Json.object());
    }

    @Override
    public void applyDefaults(ObjectNode apiService) {
        if (apiService.path("spec").path("service") instanceof ObjectNode service) {
            Values.defaultNumber(service, "port", 443);
        }
    }

    @Override
    public List<StatusCause> validate(ObjectNode apiService) {
        List<StatusCause> causes = new ArrayList<>();
        JsonNode spec = apiService.path("spec");
        String name = apiService.path("metadata").path("name").asString("");
        String version = spec.path("version").asString("");
        String group = spec.path("group").asString("");
        if (!name.equals(version + "." + group)) {
            causes.add(StatusCause.invalid("metadata.name", name, "must be " + version + "." + group));
        }
        if (version.isEmpty()) {
            causes.add(StatusCause.required("spec.version", ""));
        } else {
            NameRule.DNS_LABEL.problems(version).forEach(p -> causes.add(StatusCause.invalid("spec.version", version, p)));
        }
        long groupPriority = spec.path("groupPriorityMinimum").asLong(0);
        if (groupPriority <= 0 || groupPriority > 20000) {
            causes.add(StatusCause.invalidNumber("spec.groupPriorityMinimum", groupPriority,
                    "must be positive and less than 20000"));
        }
        long versionPriority = spec.path("versionPriority").asLong(0);
        if (versionPriority <= 0 || versionPriority > 1000) {
            causes.add(StatusCause.invalidNumber("spec.versionPriority", versionPriority,
                    "must be positive and less than 1000"));
        }
        if (spec.path("service").isObject()) {
            Values.required(spec.path("service"), "namespace", "spec.service.namespace", causes);
            Values.required(spec.path("service"), "name", "spec.service.name", causes);
            if (spec.path("insecureSkipTLSVerify").asBoolean(false) && !Values.missing(spec, "caBundle")) {
                causes.add(new StatusCause("FieldValueInvalid", "spec.insecureSkipTLSVerify",
                        "Invalid value: true: may not be true if caBundle is present"));
            }
        }
        return causes;
    }
}
