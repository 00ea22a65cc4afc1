package io.platform.api.auth;

import java.util.List;
import reactor.core.publisher.Mono;

/**
 * Authenticates a bearer token, as kube-apiserver's token authenticators (ServiceAccount JWTs, OIDC id_tokens,
 * bootstrap tokens) do. Implementations are Spring beans; {@link TokenAuthentication} asks each in order, for
 * TokenReviews and for requests' bearer tokens ({@link RequestAuthentication}). They must not block (they run on
 * the request's event loop): one that needs I/O, such as fetching an issuer's keys, answers when it has it.
 */
public interface TokenAuthenticator {

    /**
     * @param token the bearer token, without the {@code Bearer } prefix
     * @param audiences the audiences the token must be meant for; empty when the caller names none
     * @return the user when the token is this authenticator's and valid, {@link TokenResult#notRecognised()} when
     *     it is not its kind of token, {@link TokenResult#rejected(String)} when it is but is invalid
     */
    Mono<TokenResult> authenticate(String token, List<String> audiences);
}
