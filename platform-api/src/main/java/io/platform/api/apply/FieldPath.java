package io.platform.api.apply;

import java.util.ArrayList;
import java.util.List;

/** A path from the root of an object to one of its fields or list items, e.g. {@code .spec.replicas}. */
public record FieldPath(List<PathElement> elements) implements Comparable<FieldPath> {

    public static final FieldPath ROOT = new FieldPath(List.of());

    public FieldPath {
        elements = List.copyOf(elements);
    }

    /** A path of plain field names, e.g. {@code FieldPath.of("spec", "replicas")}. */
    public static FieldPath of(String... fields) {
        List<PathElement> elements = new ArrayList<>();
        for (String field : fields) {
            elements.add(new PathElement.Field(field));
        }
        return new FieldPath(elements);
    }

    public FieldPath child(PathElement element) {
        List<PathElement> longer = new ArrayList<>(elements);
        longer.add(element);
        return new FieldPath(longer);
    }

    public int size() {
        return elements.size();
    }

    public boolean isEmpty() {
        return elements.isEmpty();
    }

    public PathElement first() {
        return elements.getFirst();
    }

    public PathElement last() {
        return elements.getLast();
    }

    public FieldPath parent() {
        return new FieldPath(elements.subList(0, elements.size() - 1));
    }

    /** This path without its first element. */
    public FieldPath rest() {
        return new FieldPath(elements.subList(1, elements.size()));
    }

    public boolean startsWith(FieldPath prefix) {
        return prefix.size() <= size() && elements.subList(0, prefix.size()).equals(prefix.elements());
    }

    @Override
    public int compareTo(FieldPath other) {
        int common = Math.min(size(), other.size());
        for (int i = 0; i < common; i++) {
            int byElement = elements.get(i).compareTo(other.elements.get(i));
            if (byElement != 0) {
                return byElement;
            }
        }
        return Integer.compare(size(), other.size());
    }

    /** As upstream prints paths in conflicts: {@code .spec.template.spec.containers[name="nginx"].image}. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        elements.forEach(e -> text.append(e.describe()));
        return text.toString();
    }
}
