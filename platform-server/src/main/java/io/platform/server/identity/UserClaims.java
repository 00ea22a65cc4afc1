package io.platform.server.identity;

import java.time.Instant;
import java.util.ArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;

/**
 * Puts the local user's name, email and current groups into every id_token, read from the users
 * table at issue time: a refresh picks up group changes, and a removed user's refresh is refused.
 * The API server maps {@code preferred_username} to the user and {@code groups} to its groups.
 */
final class UserClaims implements OAuth2TokenCustomizer<JwtEncodingContext> {

    static final String GROUPS = "groups";
    static final String PREFERRED_USERNAME = "preferred_username";
    static final String EMAIL = "email";

    private static final Logger log = LoggerFactory.getLogger(UserClaims.class);

    private final LocalUsers users;
    private final IdentityProperties properties;

    UserClaims(LocalUsers users, IdentityProperties properties) {
        this.users = users;
        this.properties = properties;
    }

    @Override
    public void customize(JwtEncodingContext context) {
        if (!OidcParameterNames.ID_TOKEN.equals(context.getTokenType().getValue())) {
            return;
        }
        String name = context.getPrincipal().getName();
        LocalUser user = users.find(name).orElseThrow(() -> new OAuth2AuthenticationException(
                new OAuth2Error(OAuth2ErrorCodes.INVALID_GRANT, "user " + name + " no longer exists", null)));
        log.info("id_token for {} (groups {}) by {}", user.name(), user.groups(),
                context.getAuthorizationGrantType().getValue());
        context.getClaims().claims(claims -> {
            claims.put(PREFERRED_USERNAME, user.name());
            // a mutable list: the stored authorization's JSON only admits collection types Spring Security allows
            claims.put(GROUPS, new ArrayList<>(user.groups()));
            if (user.email() != null) {
                claims.put(EMAIL, user.email());
            }
            // Spring Authorization Server fixes id_tokens at 30 minutes; ours follow id-token-ttl.
            if (claims.get("iat") instanceof Instant issuedAt) {
                claims.put("exp", issuedAt.plus(properties.idTokenTtl()));
            }
        });
    }
}
