package io.platform.api.apply;

import org.jspecify.annotations.Nullable;

/**
 * One {@code metadata.managedFields} entry: who ({@code manager}), how ({@code Apply} or {@code Update}), in which
 * apiVersion and subresource, when, and the fields it owns.
 */
public record ManagedFieldsEntry(String manager, String operation, String apiVersion, @Nullable String time,
        FieldSet fields, @Nullable String subresource) {

    public static final String APPLY = "Apply";
    public static final String UPDATE = "Update";

    /**
     * The identity of an entry among the others, as upstream's {@code BuildManagerIdentifier}: manager, operation and
     * subresource, and for updaters also the apiVersion (an applier keeps one entry whatever version it applies in).
     */
    static String id(String manager, String operation, String apiVersion, @Nullable String subresource) {
        return manager + "\u0000" + operation + "\u0000" + (APPLY.equals(operation) ? "" : apiVersion) + "\u0000"
                + (subresource == null ? "" : subresource);
    }

    String id() {
        return id(manager, operation, apiVersion, subresource);
    }

    ManagedFieldsEntry withFields(FieldSet owned) {
        return new ManagedFieldsEntry(manager, operation, apiVersion, time, owned, subresource);
    }

    ManagedFieldsEntry withTime(@Nullable String at) {
        return new ManagedFieldsEntry(manager, operation, apiVersion, at, fields, subresource);
    }

    /** How upstream names the manager in conflict messages: {@code "kubectl-scale" with subresource "scale" using apps/v1 at T}. */
    String describe() {
        StringBuilder text = new StringBuilder("\"").append(manager).append('"');
        if (subresource != null && !subresource.isEmpty()) {
            text.append(" with subresource \"").append(subresource).append('"');
        }
        if (UPDATE.equals(operation)) {
            text.append(" using ").append(apiVersion);
            if (time != null) {
                text.append(" at ").append(time);
            }
        }
        return text.toString();
    }
}
