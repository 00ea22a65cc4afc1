package io.platform.api.errors;

import io.platform.api.json.Json;
import io.platform.api.registry.ResourceType;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A request that failed the way a Kubernetes API server reports it: an HTTP code, a Status
 * {@code reason} and message, and optional details naming the object. Thrown anywhere in request
 * handling and turned into a {@code Status} body by the router.
 */
public final class ApiException extends RuntimeException {

    private final int code;
    private final String reason;
    private final @Nullable String name;
    private final @Nullable String group;
    private final @Nullable String kind;
    private final List<StatusCause> causes;

    public ApiException(int code, String reason, String message, @Nullable String name, @Nullable String group,
            @Nullable String kind, List<StatusCause> causes) {
        super(message, null, false, false);
        this.code = code;
        this.reason = reason;
        this.name = name;
        this.group = group;
        this.kind = kind;
        this.causes = List.copyOf(causes);
    }

    public static ApiException notFound(ResourceType type, String name) {
        return new ApiException(404, "NotFound", type.qualifiedPlural() + " \"" + name + "\" not found", name,
                type.group(), type.plural(), List.of());
    }

    /** 404 for a URL that names no resource, as upstream's "the server could not find the requested resource". */
    public static ApiException noSuchPath() {
        return new ApiException(404, "NotFound", "the server could not find the requested resource", null, null, null,
                List.of());
    }

    public static ApiException alreadyExists(ResourceType type, String name) {
        return new ApiException(409, "AlreadyExists", type.qualifiedPlural() + " \"" + name + "\" already exists", name,
                type.group(), type.plural(), List.of());
    }

    public static ApiException conflict(ResourceType type, String name, String detail) {
        return new ApiException(409, "Conflict",
                "Operation cannot be fulfilled on " + type.qualifiedPlural() + " \"" + name + "\": " + detail, name,
                type.group(), type.plural(), List.of());
    }

    public static ApiException modified(ResourceType type, String name) {
        return conflict(type, name,
                "the object has been modified; please apply your changes to the latest version and try again");
    }

    public static ApiException invalid(ResourceType type, String name, List<StatusCause> causes) {
        String joined = causes.size() == 1
                ? causes.getFirst().describe()
                : "[" + String.join(", ", causes.stream().map(StatusCause::describe).toList()) + "]";
        return new ApiException(422, "Invalid",
                type.kind() + (type.group().isEmpty() ? "" : "." + type.group()) + " \"" + name + "\" is invalid: "
                        + joined, name, type.group(), type.kind(), causes);
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, "BadRequest", message, null, null, null, List.of());
    }

    public static ApiException forbidden(ResourceType type, String name, String detail) {
        return new ApiException(403, "Forbidden",
                type.qualifiedPlural() + " \"" + name + "\" is forbidden: " + detail, name, type.group(), type.plural(),
                List.of());
    }

    public static ApiException expired(String message) {
        return new ApiException(410, "Expired", message, null, null, null, List.of());
    }

    public static ApiException unsupportedMediaType(String message) {
        return new ApiException(415, "UnsupportedMediaType", message, null, null, null, List.of());
    }

    public static ApiException methodNotAllowed(String message) {
        return new ApiException(405, "MethodNotAllowed", message, null, null, null, List.of());
    }

    public static ApiException unauthorized() {
        return new ApiException(401, "Unauthorized", "Unauthorized", null, null, null, List.of());
    }

    public static ApiException internal(String message) {
        return new ApiException(500, "InternalError", "Internal error occurred: " + message, null, null, null,
                List.of());
    }

    public int code() {
        return code;
    }

    public String reason() {
        return reason;
    }

    public List<StatusCause> causes() {
        return causes;
    }

    /** The {@code meta/v1 Status} object of this failure. */
    public ObjectNode toStatus() {
        ObjectNode status = Json.object();
        status.put("kind", "Status").put("apiVersion", "v1");
        status.set("metadata", Json.object());
        status.put("status", "Failure").put("message", getMessage()).put("reason", reason);
        if (name != null || kind != null || !causes.isEmpty()) {
            ObjectNode details = Json.object();
            if (name != null) {
                details.put("name", name);
            }
            if (group != null) {
                details.put("group", group);
            }
            if (kind != null) {
                details.put("kind", kind);
            }
            if (!causes.isEmpty()) {
                ArrayNode array = details.putArray("causes");
                causes.forEach(c -> array.addObject().put("reason", c.reason()).put("message", c.message()).put("field", c.field()));
            }
            status.set("details", details);
        }
        status.put("code", code);
        return status;
    }
}
