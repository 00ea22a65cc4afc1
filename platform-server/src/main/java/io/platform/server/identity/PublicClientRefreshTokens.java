package io.platform.server.identity;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import org.jspecify.annotations.Nullable;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;

/**
 * Refresh tokens for every client allowed the refresh_token grant, public ones included: Spring's
 * generator gives none to public clients after an authorization code grant, but kubectl's exec
 * plugin is a public client that must renew short-lived id_tokens without a browser. The token is
 * opaque (96 random bytes) and rotated on every use ({@code reuse-refresh-tokens} off).
 */
final class PublicClientRefreshTokens implements OAuth2TokenGenerator<OAuth2RefreshToken> {

    private static final SecureRandom RANDOM = new SecureRandom();
    private final Clock clock;

    PublicClientRefreshTokens(Clock clock) {
        this.clock = clock;
    }

    @Override
    public @Nullable OAuth2RefreshToken generate(OAuth2TokenContext context) {
        if (!OAuth2TokenType.REFRESH_TOKEN.equals(context.getTokenType())) {
            return null;
        }
        byte[] value = new byte[96];
        RANDOM.nextBytes(value);
        Instant issuedAt = clock.instant();
        Instant expiresAt = issuedAt.plus(context.getRegisteredClient().getTokenSettings().getRefreshTokenTimeToLive());
        return new OAuth2RefreshToken(Base64.getUrlEncoder().withoutPadding().encodeToString(value), issuedAt, expiresAt);
    }
}
