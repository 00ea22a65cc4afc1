package io.platform.server.identity;

import java.security.Principal;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AccessTokenAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2DeviceCodeAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContextHolder;
import org.springframework.security.oauth2.server.authorization.token.DefaultOAuth2TokenContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;

/**
 * The device_code grant with an id_token: Spring's provider answers it with an access and refresh
 * token only, but kubectl sends the id_token. This adds one to every device grant and records it,
 * with the {@code openid} scope, in the authorization, so that a later refresh issues id_tokens too,
 * as after the authorization code grant ({@link DeviceOpenIdScope} keeps the request acceptable).
 */
final class DeviceCodeIdTokens implements AuthenticationProvider {

    private static final OAuth2TokenType ID_TOKEN = new OAuth2TokenType(OidcParameterNames.ID_TOKEN);

    private final OAuth2DeviceCodeAuthenticationProvider delegate;
    private final OAuth2AuthorizationService authorizations;
    private final OAuth2TokenGenerator<? extends OAuth2Token> tokens;

    DeviceCodeIdTokens(OAuth2DeviceCodeAuthenticationProvider delegate, OAuth2AuthorizationService authorizations,
            OAuth2TokenGenerator<? extends OAuth2Token> tokens) {
        this.delegate = delegate;
        this.authorizations = authorizations;
        this.tokens = tokens;
    }

    @Override
    public @Nullable Authentication authenticate(Authentication authentication) {
        OAuth2AccessTokenAuthenticationToken granted = (OAuth2AccessTokenAuthenticationToken) delegate.authenticate(authentication);
        if (granted == null) {
            return null;
        }
        OAuth2Authorization authorization = authorizations.findByToken(granted.getAccessToken().getTokenValue(),
                OAuth2TokenType.ACCESS_TOKEN);
        Authentication principal = authorization == null ? null : authorization.getAttribute(Principal.class.getName());
        if (authorization == null || principal == null) {
            return granted;
        }
        Set<String> scopes = new LinkedHashSet<>(authorization.getAuthorizedScopes());
        scopes.add(OidcScopes.OPENID);
        OAuth2Token generated = tokens.generate(DefaultOAuth2TokenContext.builder()
                .registeredClient(granted.getRegisteredClient())
                .principal(principal)
                .authorizationServerContext(AuthorizationServerContextHolder.getContext())
                .authorization(authorization)
                .authorizedScopes(scopes)
                .authorizationGrantType(AuthorizationGrantType.DEVICE_CODE)
                .authorizationGrant(authentication)
                .tokenType(ID_TOKEN)
                .build());
        if (!(generated instanceof Jwt jwt)) {
            throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.SERVER_ERROR,
                    "The token generator failed to generate the ID token.", null));
        }
        OidcIdToken idToken = new OidcIdToken(jwt.getTokenValue(), jwt.getIssuedAt(), jwt.getExpiresAt(), jwt.getClaims());
        authorizations.save(OAuth2Authorization.from(authorization)
                .authorizedScopes(scopes)
                .token(idToken, metadata -> metadata.put(OAuth2Authorization.Token.CLAIMS_METADATA_NAME, idToken.getClaims()))
                .build());
        Map<String, Object> parameters = new HashMap<>(granted.getAdditionalParameters());
        parameters.put(OidcParameterNames.ID_TOKEN, idToken.getTokenValue());
        return new OAuth2AccessTokenAuthenticationToken(granted.getRegisteredClient(),
                (Authentication) granted.getPrincipal(), granted.getAccessToken(), granted.getRefreshToken(), parameters);
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return delegate.supports(authentication);
    }
}
