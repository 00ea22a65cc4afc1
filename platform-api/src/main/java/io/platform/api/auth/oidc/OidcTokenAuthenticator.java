package io.platform.api.auth.oidc;

import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import io.platform.api.auth.TokenAuthenticator;
import io.platform.api.auth.TokenResult;
import java.text.ParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * The OIDC token authenticator: a signed JWT whose (not yet verified) {@code iss} is one of the configured issuers
 * goes to that issuer's verifier, as kube-apiserver picks the JWT authenticator by issuer; every other token is not
 * this authenticator's and is left to the next one.
 */
public final class OidcTokenAuthenticator implements TokenAuthenticator {

    private final Map<String, OidcIssuer> issuers = new LinkedHashMap<>();

    OidcTokenAuthenticator(List<OidcIssuer> issuers) {
        issuers.forEach(issuer -> this.issuers.put(issuer.issuerUrl(), issuer));
    }

    @Override
    public Mono<TokenResult> authenticate(String token, List<String> audiences) {
        String issuerUrl = unverifiedIssuer(token);
        OidcIssuer issuer = issuerUrl == null ? null : issuers.get(issuerUrl);
        if (issuer == null) {
            return Mono.just(TokenResult.notRecognised());
        }
        return issuer.authenticate(token, audiences);
    }

    /** The issuers this authenticator trusts, in configuration order. */
    public List<String> issuerUrls() {
        return List.copyOf(issuers.keySet());
    }

    private static @Nullable String unverifiedIssuer(String token) {
        if (token.chars().filter(c -> c == '.').count() != 2) {
            return null;
        }
        try {
            JWT jwt = JWTParser.parse(token);
            return jwt instanceof SignedJWT ? jwt.getJWTClaimsSet().getIssuer() : null;
        } catch (ParseException e) {
            return null;
        }
    }
}
