package io.platform.api.auth;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.web.server.ServerWebExchange;

/**
 * Who made a request, as Kubernetes' user.Info: the user name, a uid ("" when the authenticator knows none), the
 * groups and extra attributes (e.g. the pod a ServiceAccount token is bound to).
 */
public record AuthenticatedUser(String name, String uid, List<String> groups, Map<String, List<String>> extra) {

    /** The exchange attribute that carries the user to authorization and handlers. */
    public static final String ATTRIBUTE = AuthenticatedUser.class.getName();

    /** The user of requests no authenticator recognised. */
    public static final String ANONYMOUS = "system:anonymous";
    /** The group every authenticated user is in. */
    public static final String ALL_AUTHENTICATED = "system:authenticated";
    /** The group of the anonymous user. */
    public static final String ALL_UNAUTHENTICATED = "system:unauthenticated";

    public AuthenticatedUser {
        groups = List.copyOf(groups);
        Map<String, List<String>> copy = new LinkedHashMap<>();
        extra.forEach((key, values) -> copy.put(key, List.copyOf(values)));
        extra = Collections.unmodifiableMap(copy);
    }

    /** A user with neither uid nor extra attributes, as client certificates and most tokens give. */
    public AuthenticatedUser(String name, List<String> groups) {
        this(name, "", groups, Map.of());
    }

    public static Optional<AuthenticatedUser> of(ServerWebExchange exchange) {
        return Optional.ofNullable(exchange.getAttribute(ATTRIBUTE));
    }

    /** {@code system:anonymous} in {@code system:unauthenticated}, as kube-apiserver's anonymous authenticator. */
    public static AuthenticatedUser anonymous() {
        return new AuthenticatedUser(ANONYMOUS, List.of(ALL_UNAUTHENTICATED));
    }

    /**
     * This user with {@code system:authenticated} appended, as kube-apiserver's AuthenticatedGroupAdder wraps every
     * authenticator: not for the anonymous user, and not when the user already carries
     * {@code system:authenticated} or {@code system:unauthenticated}.
     */
    public AuthenticatedUser withAuthenticatedGroup() {
        if (name.equals(ANONYMOUS) || groups.contains(ALL_AUTHENTICATED) || groups.contains(ALL_UNAUTHENTICATED)) {
            return this;
        }
        List<String> withGroup = new ArrayList<>(groups);
        withGroup.add(ALL_AUTHENTICATED);
        return new AuthenticatedUser(name, uid, withGroup, extra);
    }
}
