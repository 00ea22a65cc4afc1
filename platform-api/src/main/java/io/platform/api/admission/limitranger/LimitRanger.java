package io.platform.api.admission.limitranger;

import io.platform.api.admission.AdmissionOrder;
import io.platform.api.admission.AdmissionPlugin;
import io.platform.api.admission.AdmissionProperties;
import io.platform.api.admission.AdmissionRequest;
import io.platform.api.admission.LiveLookups;
import io.platform.api.admission.ObjectLookup;
import io.platform.api.admission.Quantities;
import io.platform.api.errors.ApiException;
import io.platform.api.json.Json;
import io.platform.api.registry.BuiltinResources;
import io.platform.api.registry.ResourceType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * As kube-apiserver's LimitRanger, with the namespace's LimitRanges (from the watch cache): a created pod's init and
 * app containers get the {@code Container} items' {@code default} limits and {@code defaultRequest} requests they do
 * not set (noted in the {@value #ANNOTATION} annotation); then {@code min}, {@code max} and
 * {@code maxLimitRequestRatio} are enforced per container ({@code Container}) and for the pod's total ({@code Pod}),
 * and a claim's storage request against {@code PersistentVolumeClaim} items, each violation refused with 403 in
 * upstream's words.
 */
@Component
@Order(AdmissionOrder.LIMIT_RANGER)
public final class LimitRanger implements AdmissionPlugin {

    static final String ANNOTATION = "kubernetes.io/limit-ranger";
    private static final ResourceType LIMIT_RANGES = BuiltinResources.find("", "v1", "limitranges").orElseThrow();

    private final LiveLookups limitRanges;

    public LimitRanger(ObjectLookup lookup, Clock clock, AdmissionProperties properties) {
        this.limitRanges = new LiveLookups(lookup, clock, properties.liveLookupTtl());
    }

    @Override
    public String name() {
        return "LimitRanger";
    }

    @Override
    public void mutate(AdmissionRequest request) {
        if (!request.creates("", "pods") || request.namespace() == null) {
            return;
        }
        List<String> notes = new ArrayList<>();
        for (JsonNode item : items(request.namespace(), "Container")) {
            ObjectNode spec = Json.child(request.object(), "spec");
            for (JsonNode container : spec.path("initContainers")) {
                applyDefaults((ObjectNode) container, item, "init container", notes);
            }
            for (JsonNode container : spec.path("containers")) {
                applyDefaults((ObjectNode) container, item, "container", notes);
            }
        }
        if (!notes.isEmpty()) {
            Json.child(Json.metadata(request.object()), "annotations")
                    .put(ANNOTATION, "LimitRanger plugin set: " + String.join("; ", notes));
        }
    }

    private static void applyDefaults(ObjectNode container, JsonNode item, String kind, List<String> notes) {
        ObjectNode resources = Json.child(container, "resources");
        List<String> requests = fill(resources, "requests", item.path("defaultRequest"));
        List<String> limits = fill(resources, "limits", item.path("default"));
        String name = container.path("name").asString("");
        if (!requests.isEmpty()) {
            notes.add(String.join(", ", requests) + " request for " + kind + " " + name);
        }
        if (!limits.isEmpty()) {
            notes.add(String.join(", ", limits) + " limit for " + kind + " " + name);
        }
        if (resources.isEmpty()) {
            container.remove("resources");
        }
    }

    private static List<String> fill(ObjectNode resources, String field, JsonNode defaults) {
        List<String> set = new ArrayList<>();
        if (defaults.isEmpty()) {
            return set;
        }
        ObjectNode target = Json.child(resources, field);
        for (Map.Entry<String, JsonNode> entry : defaults.properties()) {
            if (!target.has(entry.getKey())) {
                target.set(entry.getKey(), entry.getValue().deepCopy());
                set.add(entry.getKey());
            }
        }
        if (target.isEmpty()) {
            resources.remove(field);
        }
        set.sort(null);
        return set;
    }

    @Override
    public void validate(AdmissionRequest request) {
        String namespace = request.namespace();
        if (namespace == null) {
            return;
        }
        List<String> errors = new ArrayList<>();
        if (request.creates("", "pods")) {
            JsonNode spec = request.object().path("spec");
            for (JsonNode item : items(namespace, "Container")) {
                for (String list : List.of("initContainers", "containers")) {
                    for (JsonNode container : spec.path(list)) {
                        check(item, "Container", container.path("resources").path("requests"),
                                container.path("resources").path("limits"), errors);
                    }
                }
            }
            for (JsonNode item : items(namespace, "Pod")) {
                check(item, "Pod", podTotal(spec, "requests"), podTotal(spec, "limits"), errors);
            }
        } else if (request.isMain("", "persistentvolumeclaims")
                && request.operation() != AdmissionRequest.Operation.DELETE) {
            JsonNode resources = request.object().path("spec").path("resources");
            for (JsonNode item : items(namespace, "PersistentVolumeClaim")) {
                item.path("min").properties().forEach(e -> addIfPresent(errors, min("PersistentVolumeClaim", e.getKey(),
                        e.getValue(), resources.path("requests"), resources.path("limits"))));
                item.path("max").properties().forEach(e -> addIfPresent(errors, maxRequest("PersistentVolumeClaim",
                        e.getKey(), e.getValue(), resources.path("requests"))));
            }
        }
        if (!errors.isEmpty()) {
            // as upstream's aggregate error: one message alone, several in brackets
            throw ApiException.forbidden(request.type(), request.name(),
                    errors.size() == 1 ? errors.getFirst() : "[" + String.join(", ", errors) + "]");
        }
    }

    /** A LimitRange created here applies at once, whatever the watch cache has seen. */
    @Override
    public void committed(AdmissionRequest request, ObjectNode stored) {
        String namespace = request.namespace();
        if (namespace != null && request.creates("", "limitranges")) {
            limitRanges.forget(LIMIT_RANGES, namespace);
        }
    }

    private List<JsonNode> items(String namespace, String type) {
        List<JsonNode> items = new ArrayList<>();
        for (ObjectNode range : limitRanges.list(LIMIT_RANGES, namespace)) {
            for (JsonNode item : range.path("spec").path("limits")) {
                if (item.path("type").asString("").equals(type)) {
                    items.add(item);
                }
            }
        }
        return items;
    }

    private static void check(JsonNode item, String type, JsonNode requests, JsonNode limits, List<String> errors) {
        item.path("min").properties().forEach(e -> addIfPresent(errors, min(type, e.getKey(), e.getValue(), requests, limits)));
        item.path("max").properties().forEach(e -> addIfPresent(errors, max(type, e.getKey(), e.getValue(), requests, limits)));
        item.path("maxLimitRequestRatio").properties()
                .forEach(e -> addIfPresent(errors, ratio(type, e.getKey(), e.getValue(), requests, limits)));
    }

    private static void addIfPresent(List<String> errors, @Nullable String error) {
        if (error != null) {
            errors.add(error);
        }
    }

    static @Nullable String min(String type, String resource, JsonNode enforced, JsonNode requests, JsonNode limits) {
        String prefix = "minimum " + resource + " usage per " + type + " is " + Quantities.text(enforced);
        BigDecimal minimum = Quantities.parse(enforced);
        if (!requests.has(resource)) {
            return prefix + ".  No request is specified";
        }
        if (Quantities.parse(requests.path(resource)).compareTo(minimum) < 0) {
            return prefix + ", but request is " + Quantities.text(requests.path(resource));
        }
        if (limits.has(resource) && Quantities.parse(limits.path(resource)).compareTo(minimum) < 0) {
            return prefix + ", but limit is " + Quantities.text(limits.path(resource));
        }
        return null;
    }

    static @Nullable String max(String type, String resource, JsonNode enforced, JsonNode requests, JsonNode limits) {
        String prefix = "maximum " + resource + " usage per " + type + " is " + Quantities.text(enforced);
        BigDecimal maximum = Quantities.parse(enforced);
        if (!limits.has(resource)) {
            return prefix + ".  No limit is specified";
        }
        if (Quantities.parse(limits.path(resource)).compareTo(maximum) > 0) {
            return prefix + ", but limit is " + Quantities.text(limits.path(resource));
        }
        if (requests.has(resource) && Quantities.parse(requests.path(resource)).compareTo(maximum) > 0) {
            return prefix + ", but request is " + Quantities.text(requests.path(resource));
        }
        return null;
    }

    static @Nullable String maxRequest(String type, String resource, JsonNode enforced, JsonNode requests) {
        String prefix = "maximum " + resource + " usage per " + type + " is " + Quantities.text(enforced);
        if (!requests.has(resource)) {
            return prefix + ".  No request is specified";
        }
        if (Quantities.parse(requests.path(resource)).compareTo(Quantities.parse(enforced)) > 0) {
            return prefix + ", but request is " + Quantities.text(requests.path(resource));
        }
        return null;
    }

    static @Nullable String ratio(String type, String resource, JsonNode enforced, JsonNode requests, JsonNode limits) {
        String prefix = resource + " max limit to request ratio per " + type + " is " + Quantities.text(enforced);
        BigDecimal request = Quantities.parse(requests.path(resource));
        BigDecimal limit = Quantities.parse(limits.path(resource));
        if (!requests.has(resource) || request.signum() == 0) {
            return prefix + ", but no request is specified or request is 0";
        }
        if (!limits.has(resource) || limit.signum() == 0) {
            return prefix + ", but no limit is specified or limit is 0";
        }
        BigDecimal observed = limit.divide(request, 6, RoundingMode.HALF_UP);
        if (observed.compareTo(Quantities.parse(enforced)) > 0) {
            return prefix + ", but provided ratio is " + String.format(Locale.ROOT, "%f", observed.doubleValue());
        }
        return null;
    }

    /** The pod's total of requests or limits: its containers' sum, at least its largest init container's. */
    private static ObjectNode podTotal(JsonNode spec, String field) {
        Map<String, BigDecimal> sum = new LinkedHashMap<>();
        Map<String, String> like = new LinkedHashMap<>();
        for (JsonNode container : spec.path("containers")) {
            container.path("resources").path(field).properties().forEach(e -> {
                sum.merge(e.getKey(), Quantities.parse(e.getValue()), BigDecimal::add);
                like.putIfAbsent(e.getKey(), Quantities.text(e.getValue()));
            });
        }
        for (JsonNode container : spec.path("initContainers")) {
            container.path("resources").path(field).properties().forEach(e -> {
                sum.merge(e.getKey(), Quantities.parse(e.getValue()), BigDecimal::max);
                like.putIfAbsent(e.getKey(), Quantities.text(e.getValue()));
            });
        }
        ObjectNode total = Json.object();
        sum.forEach((name, amount) -> total.put(name, Quantities.format(amount, like.get(name))));
        return total;
    }
}
