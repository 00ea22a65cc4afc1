package io.platform.api.selection;

import io.platform.api.json.Json;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * A label selector: requirements joined by commas, each {@code key}, {@code !key},
 * {@code key=v}, {@code key==v}, {@code key!=v}, {@code key in (a,b)}, {@code key notin (a,b)},
 * {@code key>n} or {@code key<n}, as apimachinery's labels.Parse accepts them.
 */
public final class LabelSelector {

    /** How a requirement compares, named as in apimachinery's selection.Operator. */
    public enum Operator { EQUALS, NOT_EQUALS, IN, NOT_IN, EXISTS, DOES_NOT_EXIST, GREATER_THAN, LESS_THAN }

    /** One requirement; {@code values} is empty for the existence operators. */
    public record Requirement(String key, Operator operator, Set<String> values) {

        boolean matches(Map<String, String> labels) {
            String value = labels.get(key);
            return switch (operator) {
                case EQUALS, IN -> value != null && values.contains(value);
                case NOT_EQUALS, NOT_IN -> value == null || !values.contains(value);
                case EXISTS -> value != null;
                case DOES_NOT_EXIST -> value == null;
                case GREATER_THAN -> compare(value) > 0;
                case LESS_THAN -> compare(value) < 0;
            };
        }

        private int compare(String value) {
            if (value == null) {
                return 0;
            }
            try {
                return Long.compare(Long.parseLong(value), Long.parseLong(values.iterator().next()));
            } catch (NumberFormatException e) {
                return 0;
            }
        }

        /** The requirement as upstream's Selector.String() prints it. */
        @Override
        public String toString() {
            String first = values.isEmpty() ? "" : values.iterator().next();
            return switch (operator) {
                case EQUALS -> key + "=" + first;
                case NOT_EQUALS -> key + "!=" + first;
                case IN -> key + " in (" + String.join(",", values) + ")";
                case NOT_IN -> key + " notin (" + String.join(",", values) + ")";
                case EXISTS -> key;
                case DOES_NOT_EXIST -> "!" + key;
                case GREATER_THAN -> key + ">" + first;
                case LESS_THAN -> key + "<" + first;
            };
        }
    }

    private static final Pattern SET = Pattern.compile("^(\\S+)\\s+(in|notin)\\s*\\((.*)\\)$");
    private static final Pattern NOT_EXISTS = Pattern.compile("^!\\s*([^\\s!=<>(),]+)$");
    private static final Pattern COMPARE = Pattern.compile("^([^\\s!=<>(),]+)\\s*(==|=|!=|<|>)\\s*([^\\s!=<>(),]*)$");
    private static final Pattern EXISTS = Pattern.compile("^([^\\s!=<>(),]+)$");

    private static final LabelSelector EVERYTHING = new LabelSelector(List.of());

    private final List<Requirement> requirements;

    private LabelSelector(List<Requirement> requirements) {
        this.requirements = List.copyOf(requirements);
    }

    public static LabelSelector everything() {
        return EVERYTHING;
    }

    /** Parses the query-string form; blank selects everything. */
    public static LabelSelector parse(String text) {
        if (text.isBlank()) {
            return EVERYTHING;
        }
        List<Requirement> requirements = new ArrayList<>();
        for (String part : splitTopLevel(text)) {
            requirements.add(parseRequirement(part.trim()));
        }
        return new LabelSelector(requirements);
    }

    private static List<String> splitTopLevel(String text) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(text.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(text.substring(start));
        return parts;
    }

    private static Requirement parseRequirement(String part) {
        Matcher m = SET.matcher(part);
        if (m.matches()) {
            Set<String> values = new TreeSet<>();
            for (String v : m.group(3).split(",")) {
                if (!v.isBlank()) {
                    values.add(v.trim());
                }
            }
            return new Requirement(m.group(1), m.group(2).equals("in") ? Operator.IN : Operator.NOT_IN, values);
        }
        m = NOT_EXISTS.matcher(part);
        if (m.matches()) {
            return new Requirement(m.group(1), Operator.DOES_NOT_EXIST, Set.of());
        }
        m = COMPARE.matcher(part);
        if (m.matches()) {
            Operator op = switch (m.group(2)) {
                case "!=" -> Operator.NOT_EQUALS;
                case "<" -> Operator.LESS_THAN;
                case ">" -> Operator.GREATER_THAN;
                default -> Operator.EQUALS;
            };
            if ((op == Operator.LESS_THAN || op == Operator.GREATER_THAN) && !m.group(3).matches("-?\\d+")) {
                throw new SelectorException("unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer");
            }
            return new Requirement(m.group(1), op, Set.of(m.group(3)));
        }
        m = EXISTS.matcher(part);
        if (m.matches()) {
            return new Requirement(m.group(1), Operator.EXISTS, Set.of());
        }
        throw new SelectorException("unable to parse requirement: \"" + part + "\" is not a valid label selector requirement");
    }

    /**
     * The selector of a {@code metav1.LabelSelector} object ({@code matchLabels} and
     * {@code matchExpressions}); a missing or empty object selects everything, as upstream.
     */
    public static LabelSelector fromObject(JsonNode selector) {
        List<Requirement> requirements = new ArrayList<>();
        Json.stringMap(selector.path("matchLabels"))
                .forEach((k, v) -> requirements.add(new Requirement(k, Operator.EQUALS, Set.of(v))));
        for (JsonNode expression : selector.path("matchExpressions")) {
            String key = expression.path("key").asString("");
            Set<String> values = new TreeSet<>(Json.strings(expression.path("values")));
            Operator op = switch (expression.path("operator").asString("")) {
                case "In" -> Operator.IN;
                case "NotIn" -> Operator.NOT_IN;
                case "Exists" -> Operator.EXISTS;
                case "DoesNotExist" -> Operator.DOES_NOT_EXIST;
                default -> throw new SelectorException("\"" + expression.path("operator").asString("") + "\" is not a valid label selector operator");
            };
            requirements.add(new Requirement(key, op, values));
        }
        requirements.sort(Comparator.comparing(Requirement::key));
        return new LabelSelector(requirements);
    }

    public boolean isEverything() {
        return requirements.isEmpty();
    }

    public boolean matches(Map<String, String> labels) {
        for (Requirement r : requirements) {
            if (!r.matches(labels)) {
                return false;
            }
        }
        return true;
    }

    /** Matches an object by its {@code metadata.labels}. */
    public boolean matchesObject(JsonNode object) {
        return isEverything() || matches(Json.stringMap(object.path("metadata").path("labels")));
    }

    public List<Requirement> requirements() {
        return requirements;
    }

    @Override
    public String toString() {
        return String.join(",", requirements.stream().map(Requirement::toString).toList());
    }
}
