package io.platform.api.table;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/** Writes label selectors and label maps the way Kubernetes' {@code labels} package prints them. */
final class LabelSelectors {

    private LabelSelectors() {}

    /**
     * A LabelSelector as its selector string ({@code app=web,tier in (a,b),!canary}), requirements sorted by key;
     * "" for an absent or empty selector and {@code <invalid>} for an unknown operator.
     */
    static String format(JsonNode selector) {
        Map<String, List<String>> byKey = new TreeMap<>();
        selector.path("matchLabels").properties().forEach(label ->
                byKey.computeIfAbsent(label.getKey(), k -> new ArrayList<>())
                        .add(label.getKey() + "=" + label.getValue().asString()));
        for (JsonNode expression : Json.array(selector, "matchExpressions")) {
            String key = Json.text(expression, "key");
            List<String> values = new ArrayList<>();
            Json.array(expression, "values").forEach(v -> values.add(v.asString()));
            values.sort(null);
            String requirement = switch (Json.text(expression, "operator")) {
                case "In" -> key + " in (" + String.join(",", values) + ")";
                case "NotIn" -> key + " notin (" + String.join(",", values) + ")";
                case "Exists" -> key;
                case "DoesNotExist" -> "!" + key;
                default -> null;
            };
            if (requirement == null) {
                return "<invalid>";
            }
            byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(requirement);
        }
        List<String> requirements = new ArrayList<>();
        byKey.values().forEach(requirements::addAll);
        return String.join(",", requirements);
    }

    /** As {@code metav1.FormatLabelSelector}: the selector string, or {@code <none>} when it selects nothing. */
    static String formatOrNone(JsonNode selector) {
        String formatted = format(selector);
        return formatted.isEmpty() ? "<none>" : formatted;
    }

    /** As {@code labels.FormatLabels}: {@code k=v} pairs sorted by key, or {@code <none>}. */
    static String formatLabels(JsonNode labels) {
        Map<String, String> sorted = new TreeMap<>();
        labels.properties().forEach(label -> sorted.put(label.getKey(), label.getValue().asString()));
        if (sorted.isEmpty()) {
            return "<none>";
        }
        List<String> pairs = new ArrayList<>();
        sorted.forEach((k, v) -> pairs.add(k + "=" + v));
        return String.join(",", pairs);
    }
}
