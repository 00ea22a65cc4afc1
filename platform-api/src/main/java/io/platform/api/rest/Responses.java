package io.platform.api.rest;

import io.platform.api.json.Json;
import io.platform.api.registry.ResourceType;
import io.platform.api.table.TableConverter;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** JSON replies: objects, lists, Tables when the client asks for them, and Success statuses. */
public final class Responses {

    static final MediaType TABLE = MediaType.parseMediaType(TableConverter.CONTENT_TYPE);

    private final TableConverter tables;

    Responses(TableConverter tables) {
        this.tables = tables;
    }

    /** A JSON answer with one {@code Warning} header per warning (admission's, or the handler's own). */
    public static Mono<ServerResponse> json(int status, JsonNode body, List<String> warnings) {
        ServerResponse.BodyBuilder builder = ServerResponse.status(status).contentType(MediaType.APPLICATION_JSON);
        return warned(builder, warnings).bodyValue(Json.bytes(body));
    }

    /** One {@code Warning: 299 - "text"} header per warning, the text quoted and escaped as upstream's. */
    private static ServerResponse.BodyBuilder warned(ServerResponse.BodyBuilder builder, List<String> warnings) {
        warnings.forEach(w -> builder.header("Warning",
                "299 - \"" + w.replace("\\", "\\\\").replace("\"", "\\\"") + "\""));
        return builder;
    }

    static Mono<ServerResponse> json(int status, JsonNode body) {
        return json(status, body, List.of());
    }

    /** Whether the Accept header asks for a {@code meta.k8s.io/v1} Table, as kubectl get does. */
    static boolean wantsTable(ServerRequest request) {
        return request.headers().accept().stream()
                .anyMatch(m -> "Table".equals(m.getParameter("as")) && "meta.k8s.io".equals(m.getParameter("g")));
    }

    /** A Table of the objects, with each row's object per {@code includeObject} (Metadata by default). */
    ObjectNode table(ResourceType type, List<ObjectNode> objects, @Nullable String includeObject) {
        ObjectNode table = tables.toTable(type, objects);
        JsonNode rows = table.path("rows");
        if (rows instanceof ArrayNode array) {
            for (int i = 0; i < array.size() && i < objects.size(); i++) {
                ObjectNode row = (ObjectNode) array.get(i);
                if ("Object".equals(includeObject)) {
                    row.set("object", objects.get(i));
                } else if ("None".equals(includeObject)) {
                    row.remove("object");
                }
            }
        }
        return table;
    }

    Mono<ServerResponse> object(ServerRequest request, ResourceType type, int status, ObjectNode object,
            List<String> warnings) {
        if (wantsTable(request)) {
            ObjectNode table = table(type, List.of(object), request.queryParam("includeObject").orElse(null));
            Json.metadata(table).put("resourceVersion", object.path("metadata").path("resourceVersion").asString(""));
            return warned(ServerResponse.status(status).contentType(TABLE), warnings).bodyValue(Json.bytes(table));
        }
        return json(status, object, warnings);
    }

    /** The Success Status of an immediate delete, with the object's name, group, plural and uid. */
    static ObjectNode success(ResourceType type, JsonNode object) {
        ObjectNode status = Json.object();
        status.put("kind", "Status").put("apiVersion", "v1");
        status.set("metadata", Json.object());
        status.put("status", "Success");
        ObjectNode details = status.putObject("details");
        details.put("name", object.path("metadata").path("name").asString(""));
        details.put("group", type.group());
        details.put("kind", type.plural());
        details.put("uid", object.path("metadata").path("uid").asString(""));
        return status;
    }
}
