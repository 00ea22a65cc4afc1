package io.platform.api.rest;

import io.platform.api.errors.ApiException;
import io.platform.api.json.Json;
import io.platform.api.registry.ResourceType;
import io.platform.api.resource.DeleteOptions;
import io.platform.api.resource.ResourceStorage;
import java.util.List;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST pods/{name}/eviction} with a policy/v1 (or v1beta1) Eviction: deletes the pod with the eviction's
 * delete options and answers 201 with a Success Status, as kube-apiserver does. PodDisruptionBudgets are not
 * consulted yet: there is no disruption controller keeping their {@code disruptionsAllowed} current.
 */
final class EvictionSubresource {

    private static final List<String> API_VERSIONS = List.of("policy/v1", "policy/v1beta1");

    private EvictionSubresource() {}

    static Mono<ServerResponse> evict(ServerRequest request, ResourceStorage storage, ResourcePath path, byte[] bytes) {
        ResourceType pods = path.requireType();
        ObjectNode eviction = RequestBodies.decode(ResourceHandler.contentType(request), bytes);
        String apiVersion = eviction.path("apiVersion").asString("policy/v1");
        RequestBodies.requireKind(eviction, pods, API_VERSIONS.contains(apiVersion) ? apiVersion : "policy/v1", "Eviction");
        String name = eviction.path("metadata").path("name").asString("");
        if (!name.equals(path.name())) {
            throw ApiException.badRequest("name in URL does not match name in Eviction object");
        }
        String namespace = eviction.path("metadata").path("namespace").asString("");
        if (!namespace.isEmpty() && !namespace.equals(path.namespace())) {
            throw ApiException.badRequest("namespace in URL does not match namespace in Eviction object");
        }
        storage.delete(pods, path.namespace(), name, options(eviction.path("deleteOptions")),
                ResourceHandler.dryRun(request));
        ObjectNode status = Json.object();
        status.put("kind", "Status").put("apiVersion", "v1");
        status.set("metadata", Json.object());
        status.put("status", "Success");
        status.put("code", 201);
        return Responses.json(201, status);
    }

    private static DeleteOptions options(JsonNode deleteOptions) {
        JsonNode grace = deleteOptions.path("gracePeriodSeconds");
        String uid = deleteOptions.path("preconditions").path("uid").asString("");
        String resourceVersion = deleteOptions.path("preconditions").path("resourceVersion").asString("");
        String propagation = deleteOptions.path("propagationPolicy").asString("");
        return new DeleteOptions(grace.isNumber() ? grace.asLong() : null, propagation.isEmpty() ? null : propagation,
                uid.isEmpty() ? null : uid, resourceVersion.isEmpty() ? null : resourceVersion);
    }
}
