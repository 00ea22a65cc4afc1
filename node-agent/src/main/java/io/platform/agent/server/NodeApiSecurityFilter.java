package io.platform.agent.server;

import io.platform.agent.AgentProperties;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Every call to the agent's API is authenticated, then authorized, before any handler runs; nothing is
 * anonymous (old kubelets answered unauthenticated calls, ours never do). No credentials, or a token the API
 * server refuses, is 401; a caller without the right on {@code nodes/<subresource>} is 403 with the kubelet's
 * message; an API server that cannot answer the SubjectAccessReview is 500.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class NodeApiSecurityFilter implements WebFilter {

    private static final Logger log = LoggerFactory.getLogger(NodeApiSecurityFilter.class);

    private final NodeApiAuthenticator authenticator;
    private final NodeApiAuthorizer authorizer;
    private final String nodeName;

    NodeApiSecurityFilter(NodeApiAuthenticator authenticator, NodeApiAuthorizer authorizer, AgentProperties properties) {
        this.authenticator = authenticator;
        this.authorizer = authorizer;
        this.nodeName = properties.nodeName();
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        NodeRequestAttributes attributes = NodeRequestAttributes.of(request.getMethod(), request.getPath().value(), nodeName);
        return authenticator.authenticate(request).flatMap(user -> user.isEmpty()
                ? KubernetesStatusResponses.write(exchange.getResponse(), HttpStatus.UNAUTHORIZED, "Unauthorized", "Unauthorized")
                : authorize(exchange, chain, user.get(), attributes));
    }

    private Mono<Void> authorize(ServerWebExchange exchange, WebFilterChain chain, RequestUser user,
            NodeRequestAttributes attributes) {
        return authorizer.allowed(user, attributes)
                .map(Optional::of)
                .onErrorResume(e -> {
                    log.warn("cannot authorize {} on nodes/{} with the API server: {}", user.name(),
                            attributes.subresource(), e.getMessage());
                    return Mono.just(Optional.empty());
                })
                .flatMap(allowed -> {
                    if (allowed.isEmpty()) {
                        return KubernetesStatusResponses.write(exchange.getResponse(), HttpStatus.INTERNAL_SERVER_ERROR,
                                "InternalError", "Authorization error (user=" + user.name() + ", verb=" + attributes.verb()
                                        + ", resource=" + NodeRequestAttributes.RESOURCE + ", subresource(s)=["
                                        + attributes.subresource() + "])");
                    }
                    if (!allowed.get()) {
                        return KubernetesStatusResponses.write(exchange.getResponse(), HttpStatus.FORBIDDEN, "Forbidden",
                                attributes.forbiddenMessage(user.name()));
                    }
                    return chain.filter(exchange);
                });
    }
}
