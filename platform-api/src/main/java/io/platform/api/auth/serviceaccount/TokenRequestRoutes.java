package io.platform.api.auth.serviceaccount;

import io.platform.api.audit.AuditAnnotations;
import io.platform.api.auth.AuthenticatedUser;
import io.platform.api.errors.ApiException;
import io.platform.api.resource.WriteContext;
import io.platform.api.rest.RequestBodies;
import io.platform.api.rest.Responses;
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
        // as every write: admission's warnings answer as Warning headers, its annotations go to the audit event
        WriteContext context = WriteContext.of(
                AuthenticatedUser.of(request.exchange()).orElseGet(AuthenticatedUser::anonymous),
                AuditAnnotations.of(request.exchange()));
        return RequestBodies.read(request, maxBodyBytes)
                .publishOn(Schedulers.boundedElastic())
                .map(bytes -> requests.create(namespace, name, RequestBodies.decode(contentType, bytes), context))
                .flatMap(answer -> Responses.json(201, answer.tokenRequest(), answer.warnings()));
    }
}
