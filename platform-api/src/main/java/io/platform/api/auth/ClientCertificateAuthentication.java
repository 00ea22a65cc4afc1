package io.platform.api.auth;

import io.platform.api.errors.ApiException;
import io.platform.api.json.Json;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import org.jspecify.annotations.Nullable;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.SslInfo;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Authenticates by the client certificate the TLS layer already verified against the cluster CA:
 * the user is the subject's CN, the groups its O values, as kube-apiserver's x509 authenticator.
 * Requests without one get a 401 Status, except the health and version endpoints.
 */
public final class ClientCertificateAuthentication implements WebFilter, Ordered {

    private static final Set<String> PUBLIC_PATHS = Set.of("/version", "/livez", "/readyz", "/healthz");

    private final boolean tlsEnabled;

    /** @param tlsEnabled false only when serving plain HTTP (tests): then every request is the anonymous user */
    public ClientCertificateAuthentication(boolean tlsEnabled) {
        this.tlsEnabled = tlsEnabled;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = exchange.getRequest().getPath().pathWithinApplication().value();
        AuthenticatedUser user = tlsEnabled ? user(exchange.getRequest().getSslInfo()) : AuthenticatedUser.anonymous();
        if (user != null) {
            exchange.getAttributes().put(AuthenticatedUser.ATTRIBUTE, user);
            return chain.filter(exchange);
        }
        if (isPublic(path)) {
            return chain.filter(exchange);
        }
        exchange.getResponse().setStatusCode(HttpStatus.UNAUTHORIZED);
        exchange.getResponse().getHeaders().setContentType(MediaType.APPLICATION_JSON);
        byte[] body = Json.bytes(ApiException.unauthorized().toStatus());
        return exchange.getResponse().writeWith(Mono.just(exchange.getResponse().bufferFactory().wrap(body)));
    }

    private static boolean isPublic(String path) {
        return PUBLIC_PATHS.stream().anyMatch(p -> path.equals(p) || path.startsWith(p + "/"));
    }

    static @Nullable AuthenticatedUser user(@Nullable SslInfo sslInfo) {
        if (sslInfo == null) {
            return null;
        }
        X509Certificate[] chain = sslInfo.getPeerCertificates();
        if (chain == null || chain.length == 0) {
            return null;
        }
        try {
            String name = null;
            List<String> groups = new ArrayList<>();
            for (Rdn rdn : new LdapName(chain[0].getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    name = rdn.getValue().toString();
                } else if (rdn.getType().equalsIgnoreCase("O")) {
                    groups.add(rdn.getValue().toString());
                }
            }
            if (name == null || name.isEmpty()) {
                return null;
            }
            return new AuthenticatedUser(name, groups).withAuthenticatedGroup();
        } catch (InvalidNameException e) {
            return null;
        }
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 10;
    }
}
