package io.platform.common.selector;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Matches labels against a {@link LabelSelector} as apimachinery's LabelSelectorAsSelector does. */
public final class LabelSelectors {

    private LabelSelectors() {}

    /**
     * Whether the labels satisfy every requirement. A null selector matches nothing and an empty one
     * matches everything, as for workload selectors.
     */
    public static boolean matches(@Nullable LabelSelector selector, @Nullable Map<String, String> labels) {
        if (selector == null) {
            return false;
        }
        Map<String, String> actual = labels == null ? Map.of() : labels;
        Map<String, String> matchLabels = selector.getMatchLabels();
        if (matchLabels != null) {
            for (Map.Entry<String, String> entry : matchLabels.entrySet()) {
                if (!entry.getValue().equals(actual.get(entry.getKey()))) {
                    return false;
                }
            }
        }
        List<LabelSelectorRequirement> expressions = selector.getMatchExpressions();
        if (expressions != null) {
            for (LabelSelectorRequirement requirement : expressions) {
                if (!matches(requirement, actual)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Whether the selector has no requirement at all (and so selects everything). */
    public static boolean isEmpty(@Nullable LabelSelector selector) {
        return selector != null
                && (selector.getMatchLabels() == null || selector.getMatchLabels().isEmpty())
                && (selector.getMatchExpressions() == null || selector.getMatchExpressions().isEmpty());
    }

    /** Whether the labels contain every pair of a plain map selector such as {@code nodeSelector}. */
    public static boolean containsAll(@Nullable Map<String, String> required, @Nullable Map<String, String> labels) {
        if (required == null || required.isEmpty()) {
            return true;
        }
        Map<String, String> actual = labels == null ? Map.of() : labels;
        return required.entrySet().stream().allMatch(entry -> entry.getValue().equals(actual.get(entry.getKey())));
    }

    private static boolean matches(LabelSelectorRequirement requirement, Map<String, String> labels) {
        String value = labels.get(requirement.getKey());
        List<String> values = requirement.getValues() == null ? List.of() : requirement.getValues();
        return switch (requirement.getOperator()) {
            case "In" -> value != null && values.contains(value);
            case "NotIn" -> value == null || !values.contains(value);
            case "Exists" -> labels.containsKey(requirement.getKey());
            case "DoesNotExist" -> !labels.containsKey(requirement.getKey());
            default -> false;
        };
    }
}
