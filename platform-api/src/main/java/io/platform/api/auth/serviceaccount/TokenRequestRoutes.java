package io.platform.api.auth.serviceaccount;

import io.platform.api.auth.AuthenticatedUser;
import io.platform.api.errors.ApiException;
import io.platform.api.json.Json;
import io.platform.api.rest.RequestBodies;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The route of the {@code serviceaccounts/{name}/token} subresource, ahead of the generic resource routes: POST
 * (JSON, YAML or the protobuf kubectl sends) answered 201 by {@link TokenRequests}; any other method is 405, as
 * kube-apiserver serves only create there. Errors become Statuses through the API server's error handler.
 */
final class TokenRequestRoutes {

    static final String PATH = "/api/v1/namespaces/{namespace}/serviceaccounts/{name}/token";

    private TokenRequestRoutes() {}

    static RouterFunction<ServerResponse> routes(TokenRequests requests, int maxBodyBytes) {
        return RouterFunctions.route(RequestPredicates.path(PATH), request -> handle(request, requests, maxBodyBytes));
    }

    private static Mono<ServerResponse> handle(ServerRequest request, TokenRequests requests, int maxBodyBytes) {
        if (!request.method().equals(HttpMethod.POST)) {
            return Mono.error(ApiException.methodNotAllowed(
                    "the server does not allow this method on the requested resource"));
        }
        String namespace = request.pathVariable("namespace");
        String name = request.pathVariable("name");
        String contentType = request.headers().contentType().map(MediaType::toString).orElse("");
        AuthenticatedUser user = AuthenticatedUser.of(request.exchange()).orElseGet(AuthenticatedUser::anonymous);
        return RequestBodies.read(request, maxBodyBytes)
                .publishOn(Schedulers.boundedElastic())
                .map(bytes -> requests.create(namespace, name, RequestBodies.decode(contentType, bytes), user))
                .flatMap(answer -> {
                    ServerResponse.BodyBuilder builder = ServerResponse.status(201).contentType(MediaType.APPLICATION_JSON);
                    answer.warnings().forEach(w -> builder.header("Warning", "299 - \"" + w.replace("\"", "\\\"") + "\""));
                    return builder.bodyValue(Json.bytes(answer.tokenRequest()));
                });
    }
}
