package io.platform.agent.server;

import java.security.cert.X509Certificate;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.SslInfo;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Lets through only the API server: TLS already demands a client certificate signed by the cluster
 * CA; this also requires its common name to be {@code system:apiserver}. Old kubelets were open on
 * this port; ours never is.
 */
@Component
class ApiServerClientFilter implements WebFilter {

    static final String API_SERVER_USER = "system:apiserver";

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        SslInfo ssl = exchange.getRequest().getSslInfo();
        X509Certificate[] chainCerts = ssl == null ? null : ssl.getPeerCertificates();
        if (chainCerts == null || chainCerts.length == 0) {
            return KubernetesStatusResponses.write(exchange.getResponse(), HttpStatus.UNAUTHORIZED, "Unauthorized",
                    "a client certificate signed by the cluster CA is required");
        }
        String user = commonName(chainCerts[0]);
        if (!API_SERVER_USER.equals(user)) {
            return KubernetesStatusResponses.write(exchange.getResponse(), HttpStatus.FORBIDDEN, "Forbidden",
                    "user \"" + user + "\" cannot use the node agent's API; only " + API_SERVER_USER + " can");
        }
        return chain.filter(exchange);
    }

    static @Nullable String commonName(X509Certificate certificate) {
        try {
            for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return rdn.getValue().toString();
                }
            }
        } catch (InvalidNameException e) {
            return null;
        }
        return null;
    }
}
