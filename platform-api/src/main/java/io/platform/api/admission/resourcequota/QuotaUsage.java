package io.platform.api.admission.resourcequota;

import io.platform.api.admission.Quantities;
import io.platform.api.registry.BuiltinResources;
import io.platform.api.registry.ResourceType;
import java.math.BigDecimal;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * What one object uses of a quota's resource names, as upstream's quota evaluators: object counts ({@code pods},
 * {@code services}, {@code secrets}, {@code configmaps}, {@code persistentvolumeclaims},
 * {@code replicationcontrollers}, {@code resourcequotas}, {@code count/<resource>.<group>}), a pod's compute requests
 * and limits ({@code requests.cpu} or {@code cpu}, {@code limits.memory}, ...), a claim's {@code requests.storage},
 * and services' {@code services.loadbalancers} and {@code services.nodeports}. Terminal pods use nothing.
 */
final class QuotaUsage {

    /** The compute names whose quota makes every container state them, as upstream's pod evaluator. */
    static final List<String> COMPUTE = List.of("cpu", "limits.cpu", "limits.memory", "memory", "requests.cpu",
            "requests.memory");
    private static final List<String> COUNTED_CORE = List.of("pods", "services", "secrets", "configmaps",
            "persistentvolumeclaims", "replicationcontrollers", "resourcequotas");

    private QuotaUsage() {}

    /** What {@code object} uses of {@code resource}; null when the name does not concern the object's type. */
    static @Nullable BigDecimal of(ResourceType type, JsonNode object, String resource) {
        if (resource.startsWith("count/")) {
            return resource.substring("count/".length()).equals(type.qualifiedPlural()) ? count(type, object) : null;
        }
        if (!type.group().isEmpty()) {
            return null;
        }
        if (resource.equals(type.plural()) && COUNTED_CORE.contains(resource)) {
            return count(type, object);
        }
        return switch (type.plural()) {
            case "pods" -> podResource(object, resource);
            case "persistentvolumeclaims" -> resource.equals("requests.storage")
                    ? Quantities.parse(object.path("spec").path("resources").path("requests").path("storage")) : null;
            case "services" -> serviceResource(object, resource);
            default -> null;
        };
    }

    /** The types whose objects a quota of these names counts, to recompute its usage. */
    static Set<ResourceType> typesFor(Iterable<String> resources) {
        Set<ResourceType> types = new LinkedHashSet<>();
        for (String resource : resources) {
            String qualified;
            if (resource.startsWith("count/")) {
                qualified = resource.substring("count/".length());
            } else if (COUNTED_CORE.contains(resource)) {
                qualified = resource;
            } else if (COMPUTE.contains(resource) || resource.startsWith("requests.") || resource.startsWith("limits.")) {
                qualified = resource.equals("requests.storage") ? "persistentvolumeclaims" : "pods";
            } else if (resource.startsWith("services.")) {
                qualified = "services";
            } else {
                continue;
            }
            byQualifiedPlural(qualified).ifPresent(types::add);
        }
        return types;
    }

    static Optional<ResourceType> byQualifiedPlural(String qualified) {
        return BuiltinResources.TYPES.stream()
                .filter(t -> t.qualifiedPlural().equals(qualified) && !t.createOnly())
                .findFirst();
    }

    private static BigDecimal count(ResourceType type, JsonNode object) {
        return type.group().isEmpty() && type.plural().equals("pods") && terminal(object) ? BigDecimal.ZERO : BigDecimal.ONE;
    }

    static boolean terminal(JsonNode pod) {
        String phase = pod.path("status").path("phase").asString("");
        return phase.equals("Succeeded") || phase.equals("Failed");
    }

    private static @Nullable BigDecimal podResource(JsonNode pod, String resource) {
        String field;
        String name;
        if (resource.equals("cpu") || resource.equals("memory") || resource.equals("ephemeral-storage")) {
            field = "requests";
            name = resource;
        } else if (resource.startsWith("requests.") || resource.startsWith("limits.")) {
            field = resource.substring(0, resource.indexOf('.'));
            name = resource.substring(resource.indexOf('.') + 1);
        } else {
            return null;
        }
        if (terminal(pod)) {
            return BigDecimal.ZERO;
        }
        JsonNode spec = pod.path("spec");
        BigDecimal sum = BigDecimal.ZERO;
        for (JsonNode container : spec.path("containers")) {
            sum = sum.add(Quantities.parse(container.path("resources").path(field).path(name)));
        }
        for (JsonNode container : spec.path("initContainers")) {
            sum = sum.max(Quantities.parse(container.path("resources").path(field).path(name)));
        }
        return sum.add(Quantities.parse(spec.path("overhead").path(name)));
    }

    private static @Nullable BigDecimal serviceResource(JsonNode service, String resource) {
        String type = service.path("spec").path("type").asString("ClusterIP");
        return switch (resource) {
            case "services.loadbalancers" -> type.equals("LoadBalancer") ? BigDecimal.ONE : BigDecimal.ZERO;
            case "services.nodeports" -> type.equals("NodePort") || type.equals("LoadBalancer")
                    ? BigDecimal.valueOf(service.path("spec").path("ports").size()) : BigDecimal.ZERO;
            default -> null;
        };
    }

    /** The containers (init and app) that state no value for a compute name the quota limits, per name. */
    static SortedMap<String, SortedSet<String>> missingCompute(JsonNode pod, Set<String> required) {
        SortedMap<String, SortedSet<String>> missing = new TreeMap<>();
        for (String list : List.of("containers", "initContainers")) {
            for (JsonNode container : pod.path("spec").path(list)) {
                JsonNode resources = container.path("resources");
                for (String resource : required) {
                    if (!COMPUTE.contains(resource)) {
                        continue;
                    }
                    boolean limit = resource.startsWith("limits.");
                    String name = resource.contains(".") ? resource.substring(resource.indexOf('.') + 1) : resource;
                    if (!resources.path(limit ? "limits" : "requests").has(name)) {
                        missing.computeIfAbsent(resource, r -> new TreeSet<>())
                                .add(container.path("name").asString(""));
                    }
                }
            }
        }
        return missing;
    }
}
