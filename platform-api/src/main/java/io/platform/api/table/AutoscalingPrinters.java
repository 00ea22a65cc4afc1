package io.platform.api.table;

import io.kubernetes.client.openapi.models.V2HorizontalPodAutoscalerSpec;
import io.kubernetes.client.openapi.models.V2HorizontalPodAutoscalerStatus;
import io.platform.api.conversion.HorizontalPodAutoscalerConversion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** kube-apiserver's printer of HorizontalPodAutoscalers; v1 objects print as the v2 objects they are stored as. */
final class AutoscalingPrinters {

    private static final int MAX_METRICS = 2;

    private AutoscalingPrinters() {}

    static void register(Map<String, Printer> printers) {
        Printer v2 = new Printer(List.of(Column.name(0),
                Column.field("Reference", V2HorizontalPodAutoscalerSpec.class, "scaleTargetRef"),
                Column.field("Targets", V2HorizontalPodAutoscalerSpec.class, "metrics"),
                Column.field("MinPods", V2HorizontalPodAutoscalerSpec.class, "minReplicas"),
                Column.of("MaxPods", "integer", Column.describe(V2HorizontalPodAutoscalerSpec.class, "maxReplicas"), 0),
                Column.of("Replicas", "integer", Column.describe(V2HorizontalPodAutoscalerStatus.class, "currentReplicas"), 0),
                Column.age()),
                (hpa, now) -> {
                    JsonNode min = Json.at(hpa, "spec", "minReplicas");
                    return List.of(Cells.name(hpa),
                            Json.text(hpa, "spec", "scaleTargetRef", "kind") + "/" + Json.text(hpa, "spec", "scaleTargetRef", "name"),
                            targets(hpa), min.isNumber() ? Long.toString(min.asLong()) : "<unset>",
                            Json.number(hpa, "spec", "maxReplicas"), Json.number(hpa, "status", "currentReplicas"),
                            Cells.age(hpa, now));
                });
        printers.put("autoscaling/horizontalpodautoscalers", new Printer(v2.columns(), (hpa, now) ->
                v2.cells().apply(hpa.path("apiVersion").asString("").equals("autoscaling/v1")
                        ? HorizontalPodAutoscalerConversion.toV2(hpa) : hpa, now)));
    }

    /** As upstream's formatHPAMetrics: current/target per metric, two at most, then "+ N more...". */
    static String targets(JsonNode hpa) {
        List<JsonNode> specs = Json.array(hpa, "spec", "metrics");
        if (specs.isEmpty()) {
            return Cells.NONE;
        }
        List<JsonNode> statuses = Json.array(hpa, "status", "currentMetrics");
        List<String> list = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            JsonNode spec = specs.get(i);
            JsonNode status = i < statuses.size() ? statuses.get(i) : Json.at(hpa, "missing");
            String type = Json.text(spec, "type");
            String source = switch (type) {
                case "Resource" -> "resource";
                case "ContainerResource" -> "containerResource";
                case "Pods" -> "pods";
                case "Object" -> "object";
                case "External" -> "external";
                default -> "";
            };
            if (source.isEmpty()) {
                list.add("<unknown type>");
                continue;
            }
            JsonNode target = Json.at(spec, source, "target");
            JsonNode current = Json.at(status, source, "current");
            String prefix = source.equals("resource") || source.equals("containerResource") ? Json.text(spec, source, "name") + ": " : "";
            if (Json.at(target, "averageUtilization").isNumber()) {
                String now = Json.at(current, "averageUtilization").isNumber()
                        ? Json.number(current, "averageUtilization") + "%" : Cells.UNKNOWN;
                list.add(prefix + now + "/" + Json.number(target, "averageUtilization") + "%");
            } else {
                String field = Json.at(target, "averageValue").isMissingNode() ? "value" : "averageValue";
                String now = Json.text(current, field).isEmpty() ? Cells.UNKNOWN : Json.text(current, field);
                String wanted = Json.text(target, field).isEmpty() ? "<auto>" : Json.text(target, field);
                boolean averaged = field.equals("averageValue") && (source.equals("object") || source.equals("external"));
                list.add(prefix + now + "/" + wanted + (averaged ? " (avg)" : ""));
            }
        }
        if (list.size() > MAX_METRICS) {
            return String.join(", ", list.subList(0, MAX_METRICS)) + " + " + (list.size() - MAX_METRICS) + " more...";
        }
        return String.join(", ", list);
    }
}
