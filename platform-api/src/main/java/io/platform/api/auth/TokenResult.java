package io.platform.api.auth;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a token authenticator made of a bearer token, as kube-apiserver's authenticator.Response with its ok flag
 * and error.
 *
 * @param user the authenticated user; null when the token did not authenticate
 * @param audiences the audiences the token was found valid for; an authenticator that does not check audiences
 *     answers the ones it was asked about, as upstream's audience-agnostic wrapper does
 * @param error why the token did not authenticate; null when it did or when it simply was not recognised
 */
public record TokenResult(@Nullable AuthenticatedUser user, List<String> audiences, @Nullable String error) {

    public TokenResult {
        audiences = List.copyOf(audiences);
    }

    public static TokenResult authenticated(AuthenticatedUser user, List<String> audiences) {
        return new TokenResult(user, audiences, null);
    }

    /** Not this authenticator's kind of token: the next one may know it. */
    public static TokenResult notRecognised() {
        return new TokenResult(null, List.of(), null);
    }

    /** This authenticator's kind of token, but invalid (expired, bad signature, unknown key). */
    public static TokenResult rejected(String error) {
        return new TokenResult(null, List.of(), error);
    }

    public boolean isAuthenticated() {
        return user != null;
    }
}
