package io.platform.agent.server;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/** Endpoints of the agent's API. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AgentApiProperties.class)
class AgentRoutes {

    @Bean
    RouterFunction<ServerResponse> agentApi(ContainerLogs logs) {
        return RouterFunctions.route()
                .GET("/healthz", request -> ServerResponse.ok().contentType(MediaType.TEXT_PLAIN).bodyValue("ok"))
                .GET("/containerLogs/{namespace}/{pod}/{container}", logs::serve)
                .build();
    }
}
