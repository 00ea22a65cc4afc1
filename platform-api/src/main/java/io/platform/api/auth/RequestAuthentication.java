package io.platform.api.auth;

import io.platform.api.errors.ApiException;
import io.platform.api.json.Json;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Authenticates every request, as kube-apiserver's WithAuthentication filter over its union of request
 * authenticators: the client certificate the TLS layer verified against the cluster CA first, then a bearer token
 * (the {@code Authorization} header, or a WebSocket subprotocol) through the {@link TokenAuthentication} with the
 * API server's audiences. Credentials that do not authenticate are a 401 Status everywhere; a request without
 * credentials is the anonymous user on the public paths (health, version, the ServiceAccount issuer's discovery
 * documents, and kubeadm-style discovery's {@code kube-public/cluster-info}, whose reads RBAC still decides) and a 401
 * elsewhere. A token that authenticated is removed from the request, as upstream does, so
 * nothing behind this filter can pass it on.
 */
public final class RequestAuthentication implements WebFilter, Ordered {

    private static final Logger log = LoggerFactory.getLogger(RequestAuthentication.class);

    /** Paths anonymous requests may reach, with everything below them. */
    static final Set<String> PUBLIC_PATHS = Set.of("/version", "/livez", "/readyz", "/healthz",
            "/.well-known/openid-configuration", "/openid/v1/jwks",
            "/api/v1/namespaces/kube-public/configmaps/cluster-info");

    private final boolean tlsEnabled;
    private final TokenAuthentication tokens;
    private final ApiAudiences audiences;

    /**
     * @param tlsEnabled false only when serving plain HTTP (tests): there are no client certificates then, and a
     *     request without a bearer token is the anonymous user on every path
     */
    public RequestAuthentication(boolean tlsEnabled, TokenAuthentication tokens, ApiAudiences audiences) {
        this.tlsEnabled = tlsEnabled;
        this.tokens = tokens;
        this.audiences = audiences;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        AuthenticatedUser certificateUser = tlsEnabled ? ClientCertificates.user(exchange.getRequest().getSslInfo()) : null;
        if (certificateUser != null) {
            exchange.getAttributes().put(AuthenticatedUser.ATTRIBUTE, certificateUser);
            return chain.filter(exchange);
        }
        BearerCredentials credentials = BearerCredentials.of(exchange.getRequest().getHeaders());
        String token = credentials.token();
        if (token != null) {
            return tokens.authenticate(token, audiences.values()).flatMap(result -> {
                AuthenticatedUser user = result.user();
                if (user == null) {
                    return unauthorized(exchange, result.error() == null ? "invalid bearer token" : result.error());
                }
                ServerWebExchange withoutToken = exchange.mutate()
                        .request(request -> request.headers(headers -> removeToken(headers, credentials))).build();
                withoutToken.getAttributes().put(AuthenticatedUser.ATTRIBUTE, user);
                return chain.filter(withoutToken);
            });
        }
        if (credentials.error() != null) {
            return unauthorized(exchange, credentials.error());
        }
        String path = exchange.getRequest().getPath().pathWithinApplication().value();
        if (!tlsEnabled || isPublic(path)) {
            exchange.getAttributes().put(AuthenticatedUser.ATTRIBUTE, AuthenticatedUser.anonymous());
            return chain.filter(exchange);
        }
        return unauthorized(exchange, null);
    }

    private static void removeToken(HttpHeaders headers, BearerCredentials credentials) {
        if (credentials.fromWebSocketProtocol()) {
            headers.set(BearerCredentials.WEBSOCKET_PROTOCOL, String.join(",", credentials.remainingProtocols()));
        } else {
            headers.remove(HttpHeaders.AUTHORIZATION);
        }
    }

    static boolean isPublic(String path) {
        return PUBLIC_PATHS.stream().anyMatch(p -> path.equals(p) || path.startsWith(p + "/"));
    }

    /** As upstream: the reason goes to the log, the client learns only that it is Unauthorized. */
    private static Mono<Void> unauthorized(ServerWebExchange exchange, @Nullable String reason) {
        if (reason != null) {
            log.debug("unable to authenticate {} {}: {}", exchange.getRequest().getMethod(),
                    exchange.getRequest().getPath(), reason);
        }
        exchange.getResponse().setStatusCode(HttpStatus.UNAUTHORIZED);
        exchange.getResponse().getHeaders().setContentType(MediaType.APPLICATION_JSON);
        byte[] body = Json.bytes(ApiException.unauthorized().toStatus());
        return exchange.getResponse().writeWith(Mono.just(exchange.getResponse().bufferFactory().wrap(body)));
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 10;
    }
}
