package io.platform.api.reviews;

import io.platform.api.ApiServerProperties;
import io.platform.api.auth.TokenAuthentication;
import io.platform.api.authorization.Authorizer;
import io.platform.api.openapi.FieldValidator;
import io.platform.api.rest.CreateOnlyRoutes;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

/** Wires the review APIs: their answers and their routes, ahead of the generic resource routes. */
@Configuration(proxyBeanMethods = false)
public class ReviewsConfiguration {

    @Bean
    Reviews reviews(Authorizer authorizer, TokenAuthentication tokens, Clock clock) {
        return new Reviews(authorizer, tokens, clock);
    }

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    RouterFunction<ServerResponse> reviewRoutes(Reviews reviews, FieldValidator validator,
            ApiServerProperties properties) {
        return CreateOnlyRoutes.routes(reviews::create, validator, properties.maxRequestBody());
    }
}
