package io.platform.api.strategy;

import io.platform.api.errors.StatusCause;
import io.platform.api.json.Json;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * EndpointSlices, as discovery.k8s.io/v1: an immutable addressType, 1 to 100 addresses per endpoint, TCP ports by
 * default; any change outside metadata bumps the generation.
 */
final class EndpointSliceStrategy implements ResourceStrategy {

    private static final List<String> ADDRESS_TYPES = List.of("IPv4", "IPv6", "FQDN");

    @Override
    public void applyDefaults(ObjectNode slice) {
        for (JsonNode port : slice.path("ports")) {
            if (port instanceof ObjectNode p) {
                PodDefaults.putIfAbsent(p, "protocol", "TCP");
                PodDefaults.putIfAbsent(p, "name", "");
            }
        }
    }

    @Override
    public boolean tracksGeneration() {
        return true;
    }

    @Override
    public JsonNode generationSubject(JsonNode object) {
        ObjectNode copy = object instanceof ObjectNode o ? o.deepCopy() : Json.object();
        copy.remove("metadata");
        return copy;
    }

    @Override
    public List<StatusCause> validate(ObjectNode slice) {
        List<StatusCause> causes = new ArrayList<>();
        Values.requiredSupported(slice, "addressType", "addressType", ADDRESS_TYPES, causes);
        int e = 0;
        for (JsonNode endpoint : slice.path("endpoints")) {
            String at = "endpoints[" + e++ + "].addresses";
            int count = endpoint.path("addresses").size();
            if (count == 0) {
                causes.add(StatusCause.required(at, "must contain at least 1 address"));
            } else if (count > 100) {
                causes.add(new StatusCause("FieldValueTooMany", at, "Too many: " + count + ": must have at most 100 items"));
            }
        }
        int p = 0;
        for (JsonNode port : slice.path("ports")) {
            JsonNode number = port.path("port");
            if (number.isNumber() && (number.asLong() < 1 || number.asLong() > 65535)) {
                causes.add(StatusCause.invalidNumber("ports[" + p + "].port", number.asLong(),
                        "must be between 1 and 65535, inclusive"));
            }
            p++;
        }
        return causes;
    }

    @Override
    public List<StatusCause> validateUpdate(ObjectNode slice, ObjectNode old) {
        List<StatusCause> causes = new ArrayList<>();
        Values.immutable(slice.path("addressType"), old.path("addressType"), "addressType", causes);
        return causes;
    }
}
