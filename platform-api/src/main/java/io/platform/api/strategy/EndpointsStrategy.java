package io.platform.api.strategy;

import io.platform.api.errors.StatusCause;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Endpoints: ports default to TCP; addresses need an IP and ports a number in range. */
final class EndpointsStrategy implements ResourceStrategy {

    @Override
    public void applyDefaults(ObjectNode endpoints) {
        for (JsonNode subset : endpoints.path("subsets")) {
            for (JsonNode port : subset.path("ports")) {
                if (port instanceof ObjectNode p) {
                    PodDefaults.putIfAbsent(p, "protocol", "TCP");
                }
            }
        }
    }

    @Override
    public List<StatusCause> validate(ObjectNode endpoints) {
        List<StatusCause> causes = new ArrayList<>();
        int s = 0;
        for (JsonNode subset : endpoints.path("subsets")) {
            String at = "subsets[" + s++ + "]";
            for (String list : List.of("addresses", "notReadyAddresses")) {
                int a = 0;
                for (JsonNode address : subset.path(list)) {
                    Values.required(address, "ip", at + "." + list + "[" + a++ + "].ip", causes);
                }
            }
            int p = 0;
            for (JsonNode port : subset.path("ports")) {
                long number = port.path("port").asLong(0);
                if (number < 1 || number > 65535) {
                    causes.add(StatusCause.invalidNumber(at + ".ports[" + p + "].port", number,
                            "must be between 1 and 65535, inclusive"));
                }
                p++;
            }
        }
        return causes;
    }
}
