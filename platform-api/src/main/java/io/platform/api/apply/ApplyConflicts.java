package io.platform.api.apply;

import io.platform.api.errors.ApiException;
import io.platform.api.errors.StatusCause;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The 409 of a server-side apply that would change fields other managers own, worded as upstream's
 * {@code NewConflictError}: one {@code FieldManagerConflict} cause per field, and a message listing them.
 */
final class ApplyConflicts {

    static final String CAUSE = "FieldManagerConflict";

    private ApplyConflicts() {}

    /** @param conflicts the conflicting fields by the entry that owns them */
    static ApiException error(Map<ManagedFieldsEntry, FieldSet> conflicts) {
        Map<String, List<String>> byManager = new TreeMap<>();
        List<StatusCause> causes = new ArrayList<>();
        conflicts.forEach((entry, fields) -> {
            for (FieldPath path : fields) {
                byManager.computeIfAbsent(entry.describe(), k -> new ArrayList<>()).add(path.toString());
            }
        });
        byManager.forEach((manager, paths) -> paths.forEach(
                path -> causes.add(new StatusCause(CAUSE, path, "conflict with " + manager))));
        String message;
        if (causes.size() == 1) {
            message = "Apply failed with 1 conflict: " + causes.getFirst().message() + ": " + causes.getFirst().field();
        } else {
            List<String> lines = new ArrayList<>();
            byManager.forEach((manager, paths) -> {
                lines.add("conflicts with " + manager + ":");
                paths.forEach(path -> lines.add("- " + path));
            });
            message = "Apply failed with " + causes.size() + " conflicts: " + String.join("\n", lines);
        }
        return new ApiException(409, "Conflict", message, null, null, null, causes);
    }
}
