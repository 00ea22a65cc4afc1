package io.platform.api.auth;

import java.util.ArrayList;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * Every configured {@link TokenAuthenticator} as one, in order, as kube-apiserver's union authenticator: the first
 * that authenticates the token wins (its user gains {@code system:authenticated}); otherwise the token is
 * unauthenticated with the errors of those that rejected it. With no token authenticator configured (client
 * certificates are then the only way in) every token is unauthenticated and says so.
 */
public final class TokenAuthentication {

    static final String NONE_CONFIGURED =
            "no token authenticator is configured: this API server authenticates client certificates only";

    private final List<TokenAuthenticator> authenticators;

    public TokenAuthentication(List<TokenAuthenticator> authenticators) {
        this.authenticators = List.copyOf(authenticators);
    }

    public Mono<TokenResult> authenticate(String token, List<String> audiences) {
        if (authenticators.isEmpty()) {
            return Mono.just(TokenResult.rejected(NONE_CONFIGURED));
        }
        return next(0, token, audiences, new ArrayList<>());
    }

    private Mono<TokenResult> next(int index, String token, List<String> audiences, List<String> errors) {
        if (index == authenticators.size()) {
            if (errors.isEmpty()) {
                return Mono.just(TokenResult.notRecognised());
            }
            // as Go's aggregate error: one error as it is, several in brackets
            return Mono.just(TokenResult.rejected(
                    errors.size() == 1 ? errors.getFirst() : "[" + String.join(", ", errors) + "]"));
        }
        return authenticators.get(index).authenticate(token, audiences).flatMap(result -> {
            AuthenticatedUser user = result.user();
            if (user != null) {
                return Mono.just(TokenResult.authenticated(user.withAuthenticatedGroup(), result.audiences()));
            }
            if (result.error() != null) {
                errors.add(result.error());
            }
            return next(index + 1, token, audiences, errors);
        });
    }
}
