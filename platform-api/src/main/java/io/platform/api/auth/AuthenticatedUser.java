package io.platform.api.auth;

import java.util.List;
import java.util.Optional;
import org.springframework.web.server.ServerWebExchange;

/** Who made a request: the user name and groups, as Kubernetes' user.Info. */
public record AuthenticatedUser(String name, List<String> groups) {

    /** The exchange attribute that carries the user to authorization and handlers. */
    public static final String ATTRIBUTE = AuthenticatedUser.class.getName();

    public static Optional<AuthenticatedUser> of(ServerWebExchange exchange) {
        return Optional.ofNullable(exchange.getAttribute(ATTRIBUTE));
    }
}
