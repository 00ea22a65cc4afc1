package io.platform.api.strategy;

import io.platform.api.errors.StatusCause;
import io.platform.api.json.Json;
import io.platform.api.selection.LabelSelector;
import io.platform.api.selection.SelectorException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;

/** The selector checks of controllers that own a pod template, with apps/v1 validation's messages. */
final class SelectorRules {

    private SelectorRules() {}

    /**
     * {@code spec.selector} must be a non-empty LabelSelector that matches {@code spec.template.metadata.labels};
     * {@code kind} names the owner in the empty-selector message ("deployment", "job", ...).
     */
    static void matchTemplate(JsonNode spec, String kind, List<StatusCause> causes) {
        JsonNode selectorNode = spec.path("selector");
        if (!selectorNode.isObject()) {
            causes.add(StatusCause.required("spec.selector", ""));
            return;
        }
        try {
            LabelSelector selector = LabelSelector.fromObject(selectorNode);
            Map<String, String> labels = Json.stringMap(spec.path("template").path("metadata").path("labels"));
            if (selector.isEverything()) {
                causes.add(StatusCause.invalid("spec.selector", goSelector(selectorNode),
                        "empty selector is invalid for " + kind));
            } else if (!selector.matches(labels)) {
                causes.add(templateMismatch(labels));
            }
        } catch (SelectorException e) {
            causes.add(StatusCause.invalid("spec.selector", goSelector(selectorNode), e.getMessage()));
        }
    }

    /** A label selector that must parse, when present (network policies, disruption budgets). */
    static void valid(JsonNode selectorNode, String path, List<StatusCause> causes) {
        if (!selectorNode.isObject()) {
            return;
        }
        try {
            LabelSelector.fromObject(selectorNode);
        } catch (SelectorException e) {
            causes.add(StatusCause.invalid(path, goSelector(selectorNode), e.getMessage()));
        }
    }

    static StatusCause templateMismatch(Map<String, String> labels) {
        return new StatusCause("FieldValueInvalid", "spec.template.metadata.labels",
                "Invalid value: " + goMap(labels) + ": `selector` does not match template `labels`");
    }

    static String goMap(Map<String, String> labels) {
        return "map[string]string{" + labels.entrySet().stream()
                .map(e -> "\"" + e.getKey() + "\":\"" + e.getValue() + "\"")
                .collect(Collectors.joining(", ")) + "}";
    }

    static String goSelector(JsonNode selector) {
        return "v1.LabelSelector{MatchLabels:" + goMap(Json.stringMap(selector.path("matchLabels"))) + "}";
    }
}
