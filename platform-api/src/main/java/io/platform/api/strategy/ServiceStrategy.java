package io.platform.api.strategy;

import io.platform.api.errors.StatusCause;
import io.platform.api.json.Json;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Services: DNS-1035 names, ClusterIP type and session affinity defaults, port checks. */
final class ServiceStrategy implements ResourceStrategy {

    private static final List<String> TYPES = List.of("ClusterIP", "NodePort", "LoadBalancer", "ExternalName");

    @Override
    public NameRule nameRule() {
        return NameRule.DNS_1035_LABEL;
    }

    @Override
    public void prepareForCreate(ObjectNode service) {
        ObjectNode status = Json.object();
        status.set("loadBalancer", Json.object());
        service.set("status", status);
    }

    @Override
    public void prepareForUpdate(ObjectNode service, ObjectNode old) {
        ObjectNode spec = Json.child(service, "spec");
        JsonNode oldSpec = old.path("spec");
        for (String field : new String[] {"clusterIP", "clusterIPs"}) {
            if (!spec.hasNonNull(field) && oldSpec.hasNonNull(field)) {
                spec.set(field, oldSpec.get(field));
            }
        }
    }

    @Override
    public List<StatusCause> validateUpdate(ObjectNode service, ObjectNode old) {
        String clusterIp = service.path("spec").path("clusterIP").asString("");
        String oldClusterIp = old.path("spec").path("clusterIP").asString("");
        if (!oldClusterIp.isEmpty() && !clusterIp.equals(oldClusterIp)) {
            return List.of(StatusCause.invalid("spec.clusterIPs[0]", clusterIp, "may not change once set"));
        }
        return List.of();
    }

    @Override
    public void applyDefaults(ObjectNode service) {
        ObjectNode spec = Json.child(service, "spec");
        PodDefaults.putIfAbsent(spec, "type", "ClusterIP");
        PodDefaults.putIfAbsent(spec, "sessionAffinity", "None");
        if (!spec.path("type").asString("").equals("ExternalName")) {
            PodDefaults.putIfAbsent(spec, "internalTrafficPolicy", "Cluster");
        }
        for (JsonNode port : spec.path("ports")) {
            if (port instanceof ObjectNode p) {
                PodDefaults.putIfAbsent(p, "protocol", "TCP");
                if (!p.has("targetPort") && p.has("port")) {
                    p.set("targetPort", p.get("port"));
                }
            }
        }
    }

    @Override
    public List<StatusCause> validate(ObjectNode service) {
        List<StatusCause> causes = new ArrayList<>();
        JsonNode spec = service.path("spec");
        String type = spec.path("type").asString("");
        if (!TYPES.contains(type)) {
            causes.add(StatusCause.notSupported("spec.type", type, TYPES));
        }
        boolean headless = spec.path("clusterIP").asString("").equals("None");
        if (!type.equals("ExternalName") && !headless && (!spec.path("ports").isArray() || spec.path("ports").isEmpty())) {
            causes.add(StatusCause.required("spec.ports", ""));
        }
        int i = 0;
        for (JsonNode port : spec.path("ports")) {
            long number = port.path("port").asLong(0);
            if (number < 1 || number > 65535) {
                causes.add(StatusCause.invalidNumber("spec.ports[" + i + "].port", number,
                        "must be between 1 and 65535, inclusive"));
            }
            i++;
        }
        return causes;
    }
}
