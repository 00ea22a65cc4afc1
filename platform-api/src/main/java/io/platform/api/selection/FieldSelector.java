package io.platform.api.selection;

import io.platform.api.registry.ResourceType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * A field selector: {@code field=value}, {@code field==value} or {@code field!=value} joined by
 * commas, over the fields each type offers for selection (as upstream's per-type field label
 * conversion functions allow).
 */
public final class FieldSelector {

    private record Term(String field, boolean equal, String value) {}

    private static final Set<String> COMMON = Set.of("metadata.name", "metadata.namespace");

    /** Selectable fields beyond metadata.name/namespace, keyed by qualified plural. */
    private static final Map<String, Set<String>> FIELDS = Map.of(
            "pods", Set.of("spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName",
                    "spec.hostNetwork", "status.phase", "status.podIP", "status.nominatedNodeName"),
            "events", Set.of("involvedObject.kind", "involvedObject.namespace", "involvedObject.name",
                    "involvedObject.uid", "involvedObject.apiVersion", "involvedObject.resourceVersion",
                    "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type"),
            "secrets", Set.of("type"),
            "nodes", Set.of("spec.unschedulable"),
            "namespaces", Set.of("status.phase"),
            "replicasets.apps", Set.of("status.replicas"),
            "replicationcontrollers", Set.of("status.replicas"),
            "jobs.batch", Set.of("status.successful"),
            "certificatesigningrequests.certificates.k8s.io", Set.of("spec.signerName"));

    /** Field labels whose JSON path differs, as upstream's field label conversions. */
    private static final Map<String, String> PATHS = Map.of("status.successful", "status.succeeded");

    private static final FieldSelector EVERYTHING = new FieldSelector(List.of());

    private final List<Term> terms;

    private FieldSelector(List<Term> terms) {
        this.terms = List.copyOf(terms);
    }

    public static FieldSelector everything() {
        return EVERYTHING;
    }

    /** Parses and checks each field against what {@code type} allows; blank selects everything. */
    public static FieldSelector parse(String text, ResourceType type) {
        if (text.isBlank()) {
            return EVERYTHING;
        }
        List<Term> terms = new ArrayList<>();
        for (String part : text.split(",")) {
            String p = part.trim();
            Term term;
            int ne = p.indexOf("!=");
            int eq = p.indexOf('=');
            if (ne >= 0) {
                term = new Term(p.substring(0, ne).trim(), false, p.substring(ne + 2).trim());
            } else if (eq >= 0) {
                int valueStart = p.startsWith("==", eq) ? eq + 2 : eq + 1;
                term = new Term(p.substring(0, eq).trim(), true, p.substring(valueStart).trim());
            } else {
                throw new SelectorException("invalid selector: '" + text + "'; can't understand '" + p + "'");
            }
            if (!COMMON.contains(term.field())
                    && !FIELDS.getOrDefault(type.qualifiedPlural(), Set.of()).contains(term.field())) {
                throw new SelectorException("field label not supported: " + term.field());
            }
            terms.add(term);
        }
        return new FieldSelector(terms);
    }

    public boolean isEverything() {
        return terms.isEmpty();
    }

    public boolean matches(JsonNode object) {
        for (Term term : terms) {
            if (value(object, term.field()).equals(term.value()) != term.equal()) {
                return false;
            }
        }
        return true;
    }

    /** The value a field has for selection: scalars as text, a missing field as "". */
    static String value(JsonNode object, String field) {
        JsonNode node = object;
        for (String part : PATHS.getOrDefault(field, field).split("\\.")) {
            node = node.path(part);
        }
        if (field.equals("source") && node.isObject()) {
            return node.path("component").asString("");
        }
        if (node.isMissingNode() || node.isNull() || node.isContainer()) {
            return field.equals("spec.unschedulable") || field.equals("spec.hostNetwork") ? "false" : "";
        }
        return node.asString();
    }

    /** The {@code metadata.name=X} value when the selector pins one name, for cheap single-key reads. */
    public java.util.Optional<String> exactName() {
        return terms.stream().filter(t -> t.equal() && t.field().equals("metadata.name")).map(Term::value).findFirst();
    }
}
