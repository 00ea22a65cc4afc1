package io.platform.api.auth;

import java.util.ArrayList;
import java.util.List;

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

    public TokenResult authenticate(String token, List<String> audiences) {
        if (authenticators.isEmpty()) {
            return TokenResult.rejected(NONE_CONFIGURED);
        }
        List<String> errors = new ArrayList<>();
        for (TokenAuthenticator authenticator : authenticators) {
            TokenResult result = authenticator.authenticate(token, audiences);
            AuthenticatedUser user = result.user();
            if (user != null) {
                return TokenResult.authenticated(user.withAuthenticatedGroup(), result.audiences());
            }
            if (result.error() != null) {
                errors.add(result.error());
            }
        }
        if (errors.isEmpty()) {
            return TokenResult.notRecognised();
        }
        // as Go's aggregate error: one error as it is, several in brackets
        return TokenResult.rejected(errors.size() == 1 ? errors.getFirst() : "[" + String.join(", ", errors) + "]");
    }
}
