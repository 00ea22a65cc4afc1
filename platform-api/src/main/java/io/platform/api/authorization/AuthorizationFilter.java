package io.platform.api.authorization;

import io.platform.api.auth.AuthenticatedUser;
import io.platform.api.authorization.node.NodeAuthorizer;
import io.platform.api.errors.ApiException;
import io.platform.common.golang.GoSyntax;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Asks the {@link Authorizer} about every request after authentication, as kube-apiserver's WithAuthorization
 * filter: allowed requests go on (their {@link Attributes} in the exchange for handlers), others are refused with
 * a 403 Forbidden Status in upstream's wording, or a 500 when the authorizer failed to decide. A node's refused read
 * of an object its pods may reference is asked again for a moment first, since the node graph follows the same
 * watch the node does and may be a step behind it. Requests that reached here without a user (the public health and
 * version paths) are asked about as {@code system:anonymous}.
 */
public final class AuthorizationFilter implements WebFilter, Ordered {

    /** The exchange attribute that carries an allowed request's attributes. */
    public static final String ATTRIBUTES = Attributes.class.getName();
    /** The exchange attribute that carries the authorizer's decision, allowed or not (the audit log records it). */
    public static final String DECISION = Decision.class.getName();

    private static final Logger log = LoggerFactory.getLogger(AuthorizationFilter.class);

    private static final Duration GRAPH_RETRY_INTERVAL = Duration.ofMillis(50);

    private final Authorizer authorizer;
    private final Duration nodeGraphWait;

    public AuthorizationFilter(Authorizer authorizer) {
        this(authorizer, Duration.ZERO);
    }

    /**
     * @param nodeGraphWait how long a node's refused read of an object its pods may reference is asked again, without
     *     blocking, in case the node graph has not yet seen a pod the node already knows of
     */
    public AuthorizationFilter(Authorizer authorizer, Duration nodeGraphWait) {
        this.authorizer = authorizer;
        this.nodeGraphWait = nodeGraphWait;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        AuthenticatedUser user = AuthenticatedUser.of(exchange).orElseGet(AuthenticatedUser::anonymous);
        Attributes attributes;
        try {
            attributes = RequestAttributes.of(user, request.getMethod().name(),
                    request.getPath().pathWithinApplication().value(), request.getQueryParams());
        } catch (ApiException e) {
            return Mono.error(e);
        }
        Decision decision = authorizer.decide(attributes);
        if (!decision.allowed() && !decision.denied() && nodeGraphWait.isPositive()
                && NodeAuthorizer.decidedByGraph(attributes)) {
            return askAgain(attributes, decision).flatMap(later -> proceed(exchange, chain, attributes, later));
        }
        return proceed(exchange, chain, attributes, decision);
    }

    private Mono<Void> proceed(ServerWebExchange exchange, WebFilterChain chain, Attributes attributes,
            Decision decision) {
        exchange.getAttributes().put(DECISION, decision);
        if (decision.allowed()) {
            exchange.getAttributes().put(ATTRIBUTES, attributes);
            return chain.filter(exchange);
        }
        if (!decision.evaluationError().isEmpty()) {
            return Mono.error(ApiException.internal(decision.evaluationError()));
        }
        ServerHttpRequest request = exchange.getRequest();
        log.debug("forbidden: {} {} for {}: {}", request.getMethod(), request.getPath(), attributes.user().name(),
                decision.reason());
        return Mono.error(forbidden(attributes, decision.reason()));
    }

    /** The first allowing answer within the node graph wait, asked on a timer; else the first answer. */
    private Mono<Decision> askAgain(Attributes attributes, Decision first) {
        long attempts = Math.max(1, nodeGraphWait.toMillis() / GRAPH_RETRY_INTERVAL.toMillis());
        return Flux.interval(GRAPH_RETRY_INTERVAL)
                .take(attempts)
                .map(tick -> authorizer.decide(attributes))
                .filter(Decision::allowed)
                .next()
                .defaultIfEmpty(first);
    }

    /**
     * The Forbidden error kube-apiserver answers a refused request with, e.g. {@code pods is forbidden: User "bob"
     * cannot list resource "pods" in API group "" in the namespace "default"}, the reason appended after a colon.
     */
    static ApiException forbidden(Attributes attributes, String reason) {
        String message = sanitize(forbiddenMessage(attributes));
        if (!reason.isEmpty()) {
            message = message + ": " + reason;
        }
        String qualified = attributes.apiGroup().isEmpty() ? attributes.resource()
                : attributes.resource() + "." + attributes.apiGroup();
        String full;
        if (qualified.isEmpty()) {
            full = "forbidden: " + message;
        } else if (attributes.name().isEmpty()) {
            full = qualified + " is forbidden: " + message;
        } else {
            full = qualified + " " + GoSyntax.quote(attributes.name()) + " is forbidden: " + message;
        }
        return new ApiException(403, "Forbidden", full, emptyToNull(attributes.name()), emptyToNull(attributes.apiGroup()),
                emptyToNull(attributes.resource()), List.of());
    }

    private static String forbiddenMessage(Attributes attributes) {
        String user = GoSyntax.quote(attributes.user().name());
        if (!attributes.resourceRequest()) {
            return "User " + user + " cannot " + attributes.verb() + " path " + GoSyntax.quote(attributes.path());
        }
        String resource = attributes.subresource().isEmpty() ? attributes.resource()
                : attributes.resource() + "/" + attributes.subresource();
        String start = "User " + user + " cannot " + attributes.verb() + " resource " + GoSyntax.quote(resource)
                + " in API group " + GoSyntax.quote(attributes.apiGroup());
        return attributes.namespace().isEmpty() ? start + " at the cluster scope"
                : start + " in the namespace " + GoSyntax.quote(attributes.namespace());
    }

    /** As upstream: nothing in the message may look like HTML. */
    private static String sanitize(String message) {
        return message.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static @Nullable String emptyToNull(String value) {
        return value.isEmpty() ? null : value;
    }

    @Override
    public int getOrder() {
        // right after authentication (HIGHEST_PRECEDENCE + 10), before any handler
        return Ordered.HIGHEST_PRECEDENCE + 20;
    }
}
