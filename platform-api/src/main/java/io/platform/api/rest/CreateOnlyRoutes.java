package io.platform.api.rest;

import io.platform.api.auth.AuthenticatedUser;
import io.platform.api.errors.ApiException;
import io.platform.api.json.Json;
import io.platform.api.openapi.FieldValidator;
import io.platform.api.registry.ResourceType;
import java.util.List;
import java.util.Optional;
import org.springframework.http.HttpMethod;
import org.springframework.util.unit.DataSize;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.node.ObjectNode;

/**
 * The routes of the create-only types (the review APIs), served without the store: a POST to the collection is
 * decoded and checked as any create (kind, namespace, {@code fieldValidation}, {@code dryRun}, which changes nothing
 * since nothing is stored) and answered 201 with what the {@link Answerer} makes of it; other methods on the
 * collection are 405 and item paths 404, as kube-apiserver has no other route for them. These routes come before
 * {@link ApiRoutes}, so no request for these types ever reaches the generic handler and the store.
 */
public final class CreateOnlyRoutes {

    /** Answers a create-only type's POST: the posted object, checked, with the requester. */
    @FunctionalInterface
    public interface Answerer {
        Mono<ObjectNode> answer(ResourceType type, ObjectNode object, AuthenticatedUser user);
    }

    private CreateOnlyRoutes() {}

    public static RouterFunction<ServerResponse> routes(Answerer answerer, FieldValidator validator, DataSize maxBody) {
        FieldValidation fieldValidation = new FieldValidation(validator);
        int maxBodyBytes = Math.toIntExact(maxBody.toBytes());
        return RouterFunctions.route()
                .route(request -> createOnlyPath(request).isPresent(),
                        request -> handle(request, answerer, fieldValidation, maxBodyBytes))
                .onError(Throwable.class, (error, request) -> ApiErrors.render(error))
                .build();
    }

    /** The path when it names a create-only type, parsed as the generic handler would parse it. */
    private static Optional<ResourcePath> createOnlyPath(ServerRequest request) {
        String path = request.path();
        if (!path.startsWith("/api/") && !path.startsWith("/apis/")) {
            return Optional.empty();
        }
        try {
            ResourcePath parsed = ResourcePath.parse(path);
            return parsed.type() != null && parsed.type().createOnly() ? Optional.of(parsed) : Optional.empty();
        } catch (ApiException e) {
            return Optional.empty();
        }
    }

    private static Mono<ServerResponse> handle(ServerRequest request, Answerer answerer, FieldValidation fieldValidation,
            int maxBodyBytes) {
        ResourcePath path = createOnlyPath(request).orElseThrow(ApiException::noSuchPath);
        if (path.name() != null) {
            return Mono.error(ApiException.noSuchPath());
        }
        if (!request.method().equals(HttpMethod.POST)) {
            return ResourceHandler.notAllowed();
        }
        return RequestBodies.read(request, maxBodyBytes)
                .flatMap(bytes -> Mono.defer(() -> create(request, path, bytes, answerer, fieldValidation)));
    }

    private static Mono<ServerResponse> create(ServerRequest request, ResourcePath path, byte[] bytes, Answerer answerer,
            FieldValidation fieldValidation) {
        ResourceType type = path.requireType();
        ObjectNode object = RequestBodies.decode(ResourceHandler.contentType(request), bytes);
        RequestBodies.requireKind(object, type, type.apiVersion(), type.kind());
        ResourceHandler.requireNamespaceMatch(object, path.namespace());
        if (path.namespace() != null) {
            // as upstream's create handler: an object without a namespace takes the request's
            Json.metadata(object).put("namespace", path.namespace());
        }
        List<String> warnings = fieldValidation.check(request.queryParam("fieldValidation").orElse(null), type, object);
        // validated like any create's; nothing is stored either way
        ResourceHandler.dryRun(request);
        AuthenticatedUser user = AuthenticatedUser.of(request.exchange())
                .orElseThrow(() -> ApiException.badRequest("no user present on request"));
        return answerer.answer(type, object, user).flatMap(answer -> Responses.json(201, answer, warnings));
    }
}
