package io.platform.api.streams;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The upgraded pod subresources, matched before the general resource routes (any method: kube-apiserver answers GET
 * and POST, and refuses the rest itself).
 */
@Configuration(proxyBeanMethods = false)
class StreamRoutes {

    private static final String POD = "/api/v1/namespaces/{namespace}/pods/{name}/";

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    RouterFunction<ServerResponse> podStreamRoutes(PodStreams streams) {
        return RouterFunctions.route()
                .route(RequestPredicates.path(POD + "exec"), streams::exec)
                .route(RequestPredicates.path(POD + "attach"), streams::attach)
                .route(RequestPredicates.path(POD + "portforward"), streams::portForward)
                .build();
    }
}
