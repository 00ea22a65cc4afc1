package io.platform.api.rest;

import io.platform.api.errors.ApiException;
import io.platform.api.errors.StatusCause;
import io.platform.api.json.Json;
import io.platform.api.openapi.OpenApiV3;
import io.platform.api.patch.PatchType;
import io.platform.api.registry.ResourceType;
import io.platform.api.resource.ManagedFieldsTracker;
import io.platform.api.resource.ResourceStorage;
import io.platform.api.resource.UpdateMode;
import io.platform.api.resource.WriteContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code pods/{name}/ephemeralcontainers}, as {@code kubectl debug} uses it: a PUT or patch of the Pod that may
 * only add entries to {@code spec.ephemeralContainers}; existing entries are never removed or changed, and new
 * ones are validated as upstream's {@code validateEphemeralContainers} (unique names, an existing target, none of
 * the fields ephemeral containers may not set).
 */
final class EphemeralContainersSubresource {

    private static final String SUBRESOURCE = "ephemeralcontainers";
    private static final String PATH = "spec.ephemeralContainers";
    /** Fields of EphemeralContainerCommon an ephemeral container may not set, as upstream's allow list leaves them out. */
    private static final List<String> FORBIDDEN_FIELDS = List.of("ports", "resources", "resizePolicy", "lifecycle",
            "livenessProbe", "readinessProbe", "startupProbe", "restartPolicy");
    private static final Pattern DNS1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

    private EphemeralContainersSubresource() {}

    static Mono<ServerResponse> update(ServerRequest request, ResourceStorage storage, ResourcePath path, byte[] bytes) {
        ResourceType type = path.requireType();
        ObjectNode body = RequestBodies.decode(ResourceHandler.contentType(request), bytes);
        RequestBodies.requireKind(body, type, type.apiVersion(), type.kind());
        ResourceHandler.requireNamespaceMatch(body, path.namespace());
        WriteContext context = ResourceHandler.context(request).subresource(SUBRESOURCE);
        ObjectNode updated = storage.update(type, path.namespace(), path.name(), UpdateMode.SERVER,
                ResourceHandler.dryRun(request), current -> {
                    ObjectNode next = withEphemeralContainers(type, path.name(), current, body);
                    // a PUT's resourceVersion is its precondition, as for any update
                    String requested = body.path("metadata").path("resourceVersion").asString("");
                    if (!requested.isEmpty()) {
                        Json.metadata(next).put("resourceVersion", requested);
                    }
                    return next;
                }, ManagedFieldsTracker.UNTRACKED, context);
        return Responses.json(200, updated, context.warnings());
    }

    static Mono<ServerResponse> patch(ServerRequest request, ResourceStorage storage, ResourcePath path, byte[] bytes) {
        ResourceType type = path.requireType();
        PatchType patchType = ResourceHandler.patchType(request);
        WriteContext context = ResourceHandler.context(request).subresource(SUBRESOURCE);
        ObjectNode updated = storage.update(type, path.namespace(), path.name(), UpdateMode.SERVER,
                ResourceHandler.dryRun(request), current -> {
                    ObjectNode base = current.deepCopy();
                    Json.metadata(base).remove("resourceVersion");
                    ObjectNode patched = ResourceHandler.applyPatch(patchType, base, bytes, OpenApiV3.modelClass(type));
                    ObjectNode next = withEphemeralContainers(type, path.name(), current, patched);
                    Json.metadata(next).remove("resourceVersion");
                    return next;
                }, ManagedFieldsTracker.UNTRACKED, context);
        return Responses.json(200, updated, context.warnings());
    }

    /** The stored pod with only the requested {@code spec.ephemeralContainers} taken over, once they are valid. */
    static ObjectNode withEphemeralContainers(ResourceType type, String name, ObjectNode current, JsonNode requested) {
        JsonNode oldList = current.path("spec").path("ephemeralContainers");
        JsonNode newList = requested.path("spec").path("ephemeralContainers");
        List<StatusCause> causes = new ArrayList<>();
        Map<String, JsonNode> byName = new HashMap<>();
        for (JsonNode container : newList) {
            byName.put(container.path("name").asString(""), container);
        }
        for (JsonNode old : oldList) {
            String oldName = old.path("name").asString("");
            JsonNode now = byName.get(oldName);
            if (now == null) {
                causes.add(StatusCause.forbidden(PATH, "existing ephemeral containers \"" + oldName + "\" may not be removed\n"));
            } else if (!now.equals(old)) {
                causes.add(StatusCause.forbidden(PATH, "existing ephemeral containers \"" + oldName + "\" may not be changed\n"));
            }
        }
        validate(current.path("spec"), newList, causes);
        if (!causes.isEmpty()) {
            throw ApiException.invalid(type, name, causes);
        }
        ObjectNode next = current.deepCopy();
        ObjectNode spec = next.has("spec") && next.get("spec").isObject() ? (ObjectNode) next.get("spec") : next.putObject("spec");
        if (newList.isArray() && !newList.isEmpty()) {
            spec.set("ephemeralContainers", ((ArrayNode) newList).deepCopy());
        } else {
            spec.remove("ephemeralContainers");
        }
        return next;
    }

    /** Upstream's {@code validateEphemeralContainers} over every entry (unchanged old ones pass as before). */
    private static void validate(JsonNode spec, JsonNode ephemerals, List<StatusCause> causes) {
        Set<String> others = new HashSet<>();
        for (String list : List.of("containers", "initContainers")) {
            spec.path(list).forEach(c -> others.add(c.path("name").asString("")));
        }
        Set<String> volumes = new HashSet<>();
        spec.path("volumes").forEach(v -> volumes.add(v.path("name").asString("")));
        Set<String> names = new HashSet<>(others);
        int index = 0;
        for (JsonNode container : ephemerals) {
            String path = PATH + "[" + index++ + "]";
            String containerName = container.path("name").asString("");
            if (containerName.isEmpty()) {
                causes.add(StatusCause.required(path + ".name", ""));
            } else if (!DNS1123_LABEL.matcher(containerName).matches() || containerName.length() > 63) {
                causes.add(StatusCause.invalid(path + ".name", containerName, "a lowercase RFC 1123 label must consist of lower"
                        + " case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g."
                        + " 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"));
            } else if (!names.add(containerName)) {
                causes.add(new StatusCause("FieldValueDuplicate", path + ".name", "Duplicate value: \"" + containerName + "\""));
            }
            if (container.path("image").asString("").isBlank()) {
                causes.add(StatusCause.required(path + ".image", ""));
            }
            String target = container.path("targetContainerName").asString("");
            if (!target.isEmpty() && !others.contains(target)) {
                causes.add(new StatusCause("FieldValueNotFound", path + ".targetContainerName", "Not found: \"" + target + "\""));
            }
            for (String field : FORBIDDEN_FIELDS) {
                JsonNode value = container.get(field);
                if (value != null && !value.isNull() && !(value.isContainer() && value.isEmpty())) {
                    causes.add(StatusCause.forbidden(path + "." + field, "cannot be set for an Ephemeral Container"));
                }
            }
            int mountIndex = 0;
            for (JsonNode mount : container.path("volumeMounts")) {
                String mountPath = path + ".volumeMounts[" + mountIndex++ + "]";
                String volume = mount.path("name").asString("");
                if (!volumes.contains(volume)) {
                    causes.add(new StatusCause("FieldValueNotFound", mountPath + ".name", "Not found: \"" + volume + "\""));
                }
                for (String field : List.of("subPath", "subPathExpr")) {
                    if (!mount.path(field).asString("").isEmpty()) {
                        causes.add(StatusCause.forbidden(mountPath + "." + field, "cannot be set for an Ephemeral Container"));
                    }
                }
            }
        }
    }
}
