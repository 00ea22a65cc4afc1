package io.platform.agent.server;

import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewStatus;
import io.fabric8.kubernetes.api.model.authentication.UserInfo;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.SslInfo;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Who is calling, as the kubelet's {@code --client-ca-file} plus {@code --authentication-token-webhook}: a client
 * certificate the TLS layer verified against the cluster CA names the user (CN) and groups (O); otherwise a bearer
 * token is sent to the API server in a TokenReview, whose answer is kept for a while (accepted and refused tokens
 * for different times, keyed by the token's SHA-256, never the token itself). Nothing else authenticates.
 */
@Component
class NodeApiAuthenticator {

    private static final Logger log = LoggerFactory.getLogger(NodeApiAuthenticator.class);
    private static final String BEARER = "bearer ";

    private final KubernetesClient client;
    private final AgentApiProperties properties;
    private final ExpiringCache<String, Optional<RequestUser>> tokens;

    NodeApiAuthenticator(KubernetesClient client, AgentApiProperties properties, Clock clock) {
        this.client = client;
        this.properties = properties;
        this.tokens = new ExpiringCache<>(clock, 4096);
    }

    /** The caller, or empty when the request carries no credentials the cluster accepts. */
    Mono<Optional<RequestUser>> authenticate(ServerHttpRequest request) {
        Optional<RequestUser> certificateUser = certificateUser(request.getSslInfo());
        if (certificateUser.isPresent()) {
            return Mono.just(certificateUser);
        }
        String token = bearerToken(request.getHeaders());
        if (token == null) {
            return Mono.just(Optional.empty());
        }
        String key = sha256(token);
        Optional<RequestUser> cached = tokens.get(key);
        if (cached != null) {
            return Mono.just(cached);
        }
        return Mono.fromCallable(() -> review(token))
                .subscribeOn(Schedulers.boundedElastic())
                .doOnNext(user -> tokens.put(key, user, user.isPresent()
                        ? properties.authenticationCacheTtl() : properties.authenticationFailureCacheTtl()))
                .onErrorResume(KubernetesClientException.class, e -> {
                    // not cached: the next call asks again once the API server answers
                    log.warn("cannot review a bearer token with the API server: {}", e.getMessage());
                    return Mono.just(Optional.empty());
                });
    }

    private Optional<RequestUser> review(String token) {
        TokenReview answer = client.authentication().v1().tokenReviews()
                .create(new TokenReviewBuilder().withNewSpec().withToken(token).endSpec().build());
        TokenReviewStatus status = answer.getStatus();
        if (status == null || !Boolean.TRUE.equals(status.getAuthenticated()) || status.getUser() == null
                || status.getUser().getUsername() == null || status.getUser().getUsername().isEmpty()) {
            return Optional.empty();
        }
        UserInfo info = status.getUser();
        Set<String> groups = new LinkedHashSet<>(info.getGroups() == null ? List.of() : info.getGroups());
        Map<String, List<String>> extra = info.getExtra() == null ? Map.of() : info.getExtra();
        return Optional.of(new RequestUser(info.getUsername(), info.getUid() == null ? "" : info.getUid(),
                List.copyOf(groups), extra));
    }

    static Optional<RequestUser> certificateUser(@Nullable SslInfo ssl) {
        X509Certificate[] chain = ssl == null ? null : ssl.getPeerCertificates();
        if (chain == null || chain.length == 0) {
            return Optional.empty();
        }
        String name = null;
        List<String> groups = new ArrayList<>();
        try {
            for (Rdn rdn : new LdapName(chain[0].getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    name = rdn.getValue().toString();
                } else if (rdn.getType().equalsIgnoreCase("O")) {
                    groups.add(rdn.getValue().toString());
                }
            }
        } catch (InvalidNameException e) {
            return Optional.empty();
        }
        if (name == null || name.isEmpty()) {
            return Optional.empty();
        }
        if (!groups.contains(RequestUser.AUTHENTICATED_GROUP)) {
            groups.add(RequestUser.AUTHENTICATED_GROUP);
        }
        return Optional.of(new RequestUser(name, "", groups, Map.of()));
    }

    private static @Nullable String bearerToken(HttpHeaders headers) {
        String value = headers.getFirst(HttpHeaders.AUTHORIZATION);
        if (value == null || value.length() <= BEARER.length() || !value.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        String token = value.substring(BEARER.length()).strip();
        return token.isEmpty() ? null : token;
    }

    private static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK offers no SHA-256", e);
        }
    }
}
