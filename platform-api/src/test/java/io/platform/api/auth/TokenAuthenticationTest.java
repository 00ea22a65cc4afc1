package io.platform.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** The token authenticators as one, as kube-apiserver's union authenticator. */
class TokenAuthenticationTest {

    private final List<String> asked = new ArrayList<>();

    @Test
    void withoutTokenAuthenticatorsEveryTokenIsUnauthenticatedAndSaysWhy() {
        TokenResult result = new TokenAuthentication(List.of()).authenticate("abc", List.of()).block();
        assertThat(result.isAuthenticated()).isFalse();
        assertThat(result.error()).isEqualTo(
                "no token authenticator is configured: this API server authenticates client certificates only");
    }

    @Test
    void theFirstAuthenticatorThatKnowsTheTokenWinsAndItsUserIsAuthenticated() {
        TokenAuthentication tokens = new TokenAuthentication(List.of(
                named("oidc", TokenResult.notRecognised()),
                named("sa", TokenResult.authenticated(
                        new AuthenticatedUser("system:serviceaccount:ns:sa", List.of("system:serviceaccounts")),
                        List.of("api"))),
                named("later", TokenResult.rejected("never asked"))));
        TokenResult result = tokens.authenticate("t", List.of("api")).block();
        assertThat(result.user()).isEqualTo(new AuthenticatedUser("system:serviceaccount:ns:sa",
                List.of("system:serviceaccounts", "system:authenticated")));
        assertThat(result.audiences()).containsExactly("api");
        assertThat(asked).containsExactly("oidc", "sa");
    }

    @Test
    void rejectionsAreReportedOneAsItIsSeveralInBrackets() {
        assertThat(new TokenAuthentication(List.of(named("a", TokenResult.rejected("token expired")),
                named("b", TokenResult.notRecognised()))).authenticate("t", List.of()).block().error())
                .isEqualTo("token expired");
        assertThat(new TokenAuthentication(List.of(named("a", TokenResult.rejected("token expired")),
                named("b", TokenResult.rejected("invalid signature")))).authenticate("t", List.of()).block().error())
                .isEqualTo("[token expired, invalid signature]");
        TokenResult unknown = new TokenAuthentication(List.of(named("a", TokenResult.notRecognised())))
                .authenticate("t", List.of()).block();
        assertThat(unknown.isAuthenticated()).isFalse();
        assertThat(unknown.error()).isNull();
    }

    private TokenAuthenticator named(String name, TokenResult result) {
        return (token, audiences) -> {
            asked.add(name);
            return Mono.just(result);
        };
    }
}
