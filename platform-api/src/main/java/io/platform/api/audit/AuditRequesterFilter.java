package io.platform.api.audit;

import io.platform.api.auth.AuthenticatedUser;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Keeps the authenticated user before impersonation replaces it, as upstream's audit filter sits between
 * authentication and impersonation: the event's {@code user} is who made the request, {@code impersonatedUser} whom
 * they acted as, and the policy is evaluated for the requester.
 */
public final class AuditRequesterFilter implements WebFilter, Ordered {

    /** The exchange attribute holding the authenticated user as authentication left it. */
    public static final String ATTRIBUTE = AuditRequesterFilter.class.getName();

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        AuthenticatedUser.of(exchange).ifPresent(user -> exchange.getAttributes().put(ATTRIBUTE, user));
        return chain.filter(exchange);
    }

    @Override
    public int getOrder() {
        // after authentication (+10), before impersonation (+15)
        return Ordered.HIGHEST_PRECEDENCE + 12;
    }
}
