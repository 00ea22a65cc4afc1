package io.platform.agent.server.streams;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/** The kubelet's streaming paths; the agent's security filter authorizes them as {@code nodes/proxy}. */
@Configuration(proxyBeanMethods = false)
class StreamRoutes {

    @Bean
    RouterFunction<ServerResponse> agentStreams(StreamEndpoints streams) {
        return RouterFunctions.route()
                .GET("/exec/{namespace}/{pod}/{container}", streams::exec)
                .POST("/exec/{namespace}/{pod}/{container}", streams::exec)
                .GET("/attach/{namespace}/{pod}/{container}", streams::attach)
                .POST("/attach/{namespace}/{pod}/{container}", streams::attach)
                .GET("/portForward/{namespace}/{pod}", streams::portForward)
                .POST("/portForward/{namespace}/{pod}", streams::portForward)
                .build();
    }
}
