package io.platform.api.strategy;

import io.platform.api.errors.StatusCause;
import io.platform.api.json.Json;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Ingresses, as networking.k8s.io/v1: paths need a pathType, every backend names one service port or resource. */
final class IngressStrategy implements ResourceStrategy {

    private static final List<String> PATH_TYPES = List.of("Exact", "ImplementationSpecific", "Prefix");

    @Override
    public void prepareForCreate(ObjectNode ingress) {
        ingress.set("status", Json.object().set("loadBalancer", Json.object()));
    }

    @Override
    public boolean tracksGeneration() {
        return true;
    }

    @Override
    public List<StatusCause> validate(ObjectNode ingress) {
        List<StatusCause> causes = new ArrayList<>();
        JsonNode spec = ingress.path("spec");
        if (spec.path("rules").isEmpty() && !spec.path("defaultBackend").isObject()) {
            causes.add(StatusCause.invalid("spec", Values.display(spec),
                    "either `defaultBackend` or `rules` must be specified"));
        }
        if (spec.path("defaultBackend").isObject()) {
            validateBackend(spec.path("defaultBackend"), "spec.defaultBackend", causes);
        }
        int r = 0;
        for (JsonNode rule : spec.path("rules")) {
            String at = "spec.rules[" + r++ + "]";
            String host = rule.path("host").asString("");
            if (!host.isEmpty()) {
                String checked = host.startsWith("*.") ? host.substring(2) : host;
                for (String problem : NameRule.DNS_SUBDOMAIN.problems(checked)) {
                    causes.add(StatusCause.invalid(at + ".host", host, problem));
                }
            }
            if (rule.has("http") && rule.path("http").path("paths").isEmpty()) {
                causes.add(StatusCause.required(at + ".http.paths", ""));
            }
            int p = 0;
            for (JsonNode path : rule.path("http").path("paths")) {
                String pathAt = at + ".http.paths[" + p++ + "]";
                String pathType = path.path("pathType").asString("");
                String value = path.path("path").asString("");
                if (pathType.isEmpty()) {
                    causes.add(StatusCause.required(pathAt + ".pathType", "pathType must be specified"));
                } else if (!PATH_TYPES.contains(pathType)) {
                    causes.add(StatusCause.notSupported(pathAt + ".pathType", pathType, PATH_TYPES));
                } else if (!pathType.equals("ImplementationSpecific") && !value.startsWith("/")) {
                    causes.add(StatusCause.invalid(pathAt + ".path", value, "must be an absolute path"));
                }
                validateBackend(path.path("backend"), pathAt + ".backend", causes);
            }
        }
        int t = 0;
        for (JsonNode tls : spec.path("tls")) {
            int h = 0;
            for (JsonNode host : tls.path("hosts")) {
                String name = host.asString("");
                String checked = name.startsWith("*.") ? name.substring(2) : name;
                for (String problem : NameRule.DNS_SUBDOMAIN.problems(checked)) {
                    causes.add(StatusCause.invalid("spec.tls[" + t + "].hosts[" + h + "]", name, problem));
                }
                h++;
            }
            t++;
        }
        return causes;
    }

    private static void validateBackend(JsonNode backend, String path, List<StatusCause> causes) {
        boolean service = backend.path("service").isObject();
        boolean resource = backend.path("resource").isObject();
        if (service == resource) {
            causes.add(StatusCause.invalid(path, Values.display(backend),
                    service ? "cannot set both service and resource backends" : "one backend (`service` or `resource`) must be specified"));
            return;
        }
        if (service) {
            JsonNode svc = backend.path("service");
            Values.required(svc, "name", path + ".service.name", causes);
            JsonNode port = svc.path("port");
            boolean named = !port.path("name").asString("").isEmpty();
            boolean numbered = port.path("number").asLong(0) != 0;
            if (named == numbered) {
                causes.add(StatusCause.invalid(path + ".service.port", Values.display(port),
                        named ? "cannot set both port name & port number" : "port name or number is required"));
            } else if (numbered && (port.path("number").asLong() < 1 || port.path("number").asLong() > 65535)) {
                causes.add(StatusCause.invalidNumber(path + ".service.port.number", port.path("number").asLong(),
                        "must be between 1 and 65535, inclusive"));
            }
        } else {
            Values.required(backend.path("resource"), "kind", path + ".resource.kind", causes);
            Values.required(backend.path("resource"), "name", path + ".resource.name", causes);
        }
    }
}
