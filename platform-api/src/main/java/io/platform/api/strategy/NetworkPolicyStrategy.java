package io.platform.api.strategy;

import io.platform.api.errors.StatusCause;
import io.platform.api.json.Json;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * NetworkPolicies: as upstream's SetDefaults_NetworkPolicy, {@code policyTypes} is Ingress, plus Egress when
 * egress rules are given, and ports default to TCP.
 */
final class NetworkPolicyStrategy implements ResourceStrategy {

    private static final List<String> POLICY_TYPES = List.of("Ingress", "Egress");
    private static final List<String> PROTOCOLS = List.of("TCP", "UDP", "SCTP");

    @Override
    public void applyDefaults(ObjectNode policy) {
        ObjectNode spec = Json.child(policy, "spec");
        if (!spec.has("podSelector")) {
            spec.set("podSelector", Json.object());
        }
        if (spec.path("policyTypes").isEmpty()) {
            ArrayNode types = spec.putArray("policyTypes").add("Ingress");
            if (!spec.path("egress").isEmpty()) {
                types.add("Egress");
            }
        }
        for (String direction : List.of("ingress", "egress")) {
            for (JsonNode rule : spec.path(direction)) {
                for (JsonNode port : rule.path("ports")) {
                    if (port instanceof ObjectNode p) {
                        PodDefaults.putIfAbsent(p, "protocol", "TCP");
                    }
                }
            }
        }
    }

    @Override
    public boolean tracksGeneration() {
        return true;
    }

    @Override
    public List<StatusCause> validate(ObjectNode policy) {
        List<StatusCause> causes = new ArrayList<>();
        JsonNode spec = policy.path("spec");
        SelectorRules.valid(spec.path("podSelector"), "spec.podSelector", causes);
        int i = 0;
        for (JsonNode type : spec.path("policyTypes")) {
            if (!POLICY_TYPES.contains(type.asString(""))) {
                causes.add(StatusCause.notSupported("spec.policyTypes[" + i + "]", type.asString(""), POLICY_TYPES));
            }
            i++;
        }
        for (String direction : List.of("ingress", "egress")) {
            int r = 0;
            for (JsonNode rule : spec.path(direction)) {
                int p = 0;
                for (JsonNode port : rule.path("ports")) {
                    String at = "spec." + direction + "[" + r + "].ports[" + p++ + "]";
                    Values.supported(port, "protocol", at + ".protocol", PROTOCOLS, causes);
                    JsonNode number = port.path("port");
                    if (number.isNumber() && (number.asLong() < 1 || number.asLong() > 65535)) {
                        causes.add(StatusCause.invalidNumber(at + ".port", number.asLong(),
                                "must be between 1 and 65535, inclusive"));
                    }
                }
                r++;
            }
        }
        return causes;
    }
}
