package io.platform.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The request authentication filter without TLS in the way: where bearer tokens are found, what a bad one and a
 * missing one answer, and that an accepted token does not travel further. Client certificates are covered by the
 * API tests over real TLS.
 */
class RequestAuthenticationTest {

    private static final AuthenticatedUser ROBOT = new AuthenticatedUser("system:serviceaccount:ns:robot", "u1",
            List.of("system:serviceaccounts"), Map.of());

    private final List<List<String>> askedAudiences = new ArrayList<>();
    private final AtomicReference<ServerWebExchange> passedOn = new AtomicReference<>();
    private final RequestAuthentication filter = new RequestAuthentication(true, new TokenAuthentication(List.of(
            (token, audiences) -> {
                askedAudiences.add(audiences);
                return Mono.just(token.equals("good") ? TokenResult.authenticated(ROBOT, audiences)
                        : TokenResult.rejected("token expired"));
            })), new ApiAudiences(List.of("https://issuer")));

    @Test
    void aBearerTokenIsAuthenticatedForTheApiAudiencesAndRemoved() {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/api/v1/pods")
                .header("Authorization", "Bearer good"));
        run(exchange);
        assertThat(AuthenticatedUser.of(passedOn.get())).contains(ROBOT.withAuthenticatedGroup());
        assertThat(passedOn.get().getRequest().getHeaders().containsHeader("Authorization")).isFalse();
        assertThat(askedAudiences).containsExactly(List.of("https://issuer"));

        MockServerWebExchange lowerCase = MockServerWebExchange.from(MockServerHttpRequest.get("/api")
                .header("Authorization", "bearer good"));
        run(lowerCase);
        assertThat(AuthenticatedUser.of(passedOn.get())).isPresent();
    }

    @Test
    void aWebSocketSubprotocolCarriesATokenAndIsRemovedFromTheOffer() {
        String encoded = Base64.getUrlEncoder().withoutPadding().encodeToString("good".getBytes(StandardCharsets.UTF_8));
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/api/v1/pods")
                .header("Upgrade", "websocket").header("Connection", "Upgrade")
                .header("Sec-WebSocket-Protocol", "base64url.bearer.authorization.k8s.io." + encoded
                        + ", v5.channel.k8s.io"));
        run(exchange);
        assertThat(AuthenticatedUser.of(passedOn.get())).contains(ROBOT.withAuthenticatedGroup());
        assertThat(passedOn.get().getRequest().getHeaders().get("Sec-WebSocket-Protocol"))
                .containsExactly("v5.channel.k8s.io");

        MockServerWebExchange alone = MockServerWebExchange.from(MockServerHttpRequest.get("/api/v1/pods")
                .header("Upgrade", "websocket").header("Connection", "Upgrade")
                .header("Sec-WebSocket-Protocol", "base64url.bearer.authorization.k8s.io." + encoded));
        assertThat(run(alone)).isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(BearerCredentials.fromWebSocketProtocols(List.of("base64url.bearer.authorization.k8s.io." + encoded))
                .error()).isEqualTo("missing additional subprotocol");
        assertThat(BearerCredentials.fromWebSocketProtocols(List.of("base64url.bearer.authorization.k8s.io.YQ,"
                + "base64url.bearer.authorization.k8s.io.Yg, v4.channel.k8s.io")).error())
                .isEqualTo("multiple base64.bearer.authorization tokens specified");
        assertThat(BearerCredentials.fromWebSocketProtocols(List.of("base64url.bearer.authorization.k8s.io.a, v4"))
                .error()).isEqualTo("invalid base64.bearer.authorization token encoding");
    }

    @Test
    void anInvalidTokenIsUnauthorizedEvenOnPublicPaths() {
        for (String path : List.of("/api/v1/pods", "/version")) {
            MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get(path)
                    .header("Authorization", "Bearer expired"));
            assertThat(run(exchange)).isEqualTo(HttpStatus.UNAUTHORIZED);
            assertThat(passedOn.get()).isNull();
            assertThat(exchange.getResponse().getBodyAsString().block())
                    .contains("\"reason\":\"Unauthorized\"").contains("\"code\":401");
        }
    }

    @Test
    void withoutCredentialsOnlyThePublicPathsAreReachedAndAsTheAnonymousUser() {
        for (String path : List.of("/version", "/livez", "/readyz/ping", "/healthz", "/.well-known/openid-configuration",
                "/openid/v1/jwks")) {
            run(MockServerWebExchange.from(MockServerHttpRequest.get(path)));
            assertThat(AuthenticatedUser.of(passedOn.get())).as(path).contains(AuthenticatedUser.anonymous());
        }
        for (String path : List.of("/api", "/apis/apps/v1", "/openapi/v3", "/versions", "/.well-known/other")) {
            assertThat(run(MockServerWebExchange.from(MockServerHttpRequest.get(path)))).as(path)
                    .isEqualTo(HttpStatus.UNAUTHORIZED);
        }
        // another scheme is no bearer token: the request has no credentials
        assertThat(run(MockServerWebExchange.from(MockServerHttpRequest.get("/api")
                .header("Authorization", "Basic YTpi")))).isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(askedAudiences).isEmpty();
    }

    private HttpStatus run(MockServerWebExchange exchange) {
        passedOn.set(null);
        filter.filter(exchange, e -> {
            passedOn.set(e);
            return Mono.empty();
        }).block();
        return exchange.getResponse().getStatusCode() == null ? HttpStatus.OK
                : HttpStatus.valueOf(exchange.getResponse().getStatusCode().value());
    }
}
