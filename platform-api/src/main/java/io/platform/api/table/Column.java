package io.platform.api.table;

import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.platform.api.openapi.ModelFields;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A column of a table; priority 1 columns show only with {@code kubectl get -o wide}. Descriptions are the field
 * descriptions Kubernetes documents, as kube-apiserver's printers use.
 */
record Column(String name, String type, String format, String description, int priority) {

    ObjectNode toJson() {
        ObjectNode column = JsonNodeFactory.instance.objectNode();
        column.put("name", name);
        column.put("type", type);
        column.put("format", format);
        column.put("description", description);
        column.put("priority", priority);
        return column;
    }

    static Column of(String name, String type, String description, int priority) {
        return new Column(name, type, "", description, priority);
    }

    /** A string column described by a field of a client-java-api model. */
    static Column field(String name, Class<?> model, String field) {
        return of(name, "string", describe(model, field), 0);
    }

    /** A priority-1 ({@code -o wide}) string column described by a field of a model. */
    static Column wide(String name, Class<?> model, String field) {
        return of(name, "string", describe(model, field), 1);
    }

    static Column name(int priority) {
        return new Column("Name", "string", "name", metaDescription("name"), priority);
    }

    static Column age() {
        return of("Age", "string", metaDescription("creationTimestamp"), 0);
    }

    /** kube-apiserver's "Created At" column of types printed with name and creation time only. */
    static Column createdAt() {
        return new Column("Created At", "date", "", metaDescription("creationTimestamp"), 0);
    }

    static Column containers() {
        return of("Containers", "string", "Names of each container in the template.", 1);
    }

    static Column images() {
        return of("Images", "string", "Images referenced by each container in the template.", 1);
    }

    static String metaDescription(String field) {
        return describe(V1ObjectMeta.class, field);
    }

    static String describe(Class<?> model, String field) {
        return ModelFields.fieldOrTypeDescription(model, field).orElse("");
    }
}
