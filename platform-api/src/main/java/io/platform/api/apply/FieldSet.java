package io.platform.api.apply;

import io.platform.api.json.Json;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An immutable set of field paths (what one manager owns, or what changed), with the set algebra of
 * structured-merge-diff and the {@code FieldsV1} encoding of managedFields: a tree of {@code f:}/{@code k:}/
 * {@code v:}/{@code i:} keys where {@code {}} marks a member leaf and {@code ".": {}} marks a member that also has
 * members below it.
 */
public final class FieldSet implements Iterable<FieldPath> {

    public static final FieldSet EMPTY = new FieldSet(new TreeSet<>());

    private final NavigableSet<FieldPath> paths;

    private FieldSet(NavigableSet<FieldPath> paths) {
        this.paths = paths;
    }

    public static FieldSet of(Collection<FieldPath> paths) {
        return new FieldSet(new TreeSet<>(paths));
    }

    public static FieldSet of(FieldPath... paths) {
        return of(java.util.List.of(paths));
    }

    public boolean isEmpty() {
        return paths.isEmpty();
    }

    public int size() {
        return paths.size();
    }

    public boolean has(FieldPath path) {
        return paths.contains(path);
    }

    public Set<FieldPath> paths() {
        return java.util.Collections.unmodifiableSet(paths);
    }

    @Override
    public Iterator<FieldPath> iterator() {
        return paths().iterator();
    }

    public FieldSet union(FieldSet other) {
        TreeSet<FieldPath> result = new TreeSet<>(paths);
        result.addAll(other.paths);
        return new FieldSet(result);
    }

    public FieldSet intersection(FieldSet other) {
        TreeSet<FieldPath> result = new TreeSet<>(paths);
        result.retainAll(other.paths);
        return new FieldSet(result);
    }

    /** The paths of this set that are not in {@code other} (exactly; children of a removed path stay). */
    public FieldSet difference(FieldSet other) {
        TreeSet<FieldPath> result = new TreeSet<>(paths);
        result.removeAll(other.paths);
        return new FieldSet(result);
    }

    /** The paths of this set that neither are in {@code other} nor lie below one of its paths. */
    public FieldSet recursiveDifference(FieldSet other) {
        TreeSet<FieldPath> result = new TreeSet<>();
        for (FieldPath path : paths) {
            if (other.paths.stream().noneMatch(path::startsWith)) {
                result.add(path);
            }
        }
        return new FieldSet(result);
    }

    /** The paths below {@code element}, relative to it. */
    public FieldSet withPrefix(PathElement element) {
        TreeSet<FieldPath> result = new TreeSet<>();
        for (FieldPath path : paths) {
            if (path.size() > 1 && path.first().equals(element)) {
                result.add(path.rest());
            }
        }
        return new FieldSet(result);
    }

    /** The {@code fieldsV1} tree of this set. */
    public ObjectNode toFieldsV1() {
        Node root = new Node();
        for (FieldPath path : paths) {
            Node node = root;
            for (PathElement element : path.elements()) {
                node = node.children.computeIfAbsent(element, e -> new Node());
            }
            node.member = true;
        }
        return root.encode(false);
    }

    /**
     * Parses a {@code fieldsV1} tree.
     *
     * @throws IllegalArgumentException when it is not one
     */
    public static FieldSet fromFieldsV1(JsonNode tree) {
        TreeSet<FieldPath> paths = new TreeSet<>();
        read(tree, FieldPath.ROOT, paths);
        return new FieldSet(paths);
    }

    private static void read(JsonNode tree, FieldPath at, Set<FieldPath> into) {
        if (!tree.isObject()) {
            throw new IllegalArgumentException("fieldsV1 nodes must be objects, got " + tree);
        }
        if (tree.isEmpty() && !at.isEmpty()) {
            into.add(at);
            return;
        }
        for (Map.Entry<String, JsonNode> entry : tree.properties()) {
            if (entry.getKey().equals(".")) {
                if (!at.isEmpty()) {
                    into.add(at);
                }
                continue;
            }
            read(entry.getValue(), at.child(PathElement.decode(entry.getKey())), into);
        }
    }

    private static final class Node {
        private final Map<PathElement, Node> children = new TreeMap<>();
        private boolean member;

        ObjectNode encode(boolean markSelf) {
            ObjectNode json = Json.object();
            if (markSelf && member && !children.isEmpty()) {
                json.set(".", Json.object());
            }
            children.forEach((element, child) -> json.set(element.encode(), child.encode(true)));
            return json;
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof FieldSet set && set.paths.equals(paths);
    }

    @Override
    public int hashCode() {
        return paths.hashCode();
    }

    @Override
    public String toString() {
        return paths.toString();
    }
}
