package io.platform.server.identity;

import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashSet;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2DeviceAuthorizationRequestAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.web.authentication.OAuth2DeviceAuthorizationRequestAuthenticationConverter;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * Accepts {@code openid} in a device authorization request. Spring Authorization Server refuses
 * it there (its device flow issues no id_token), while generic OIDC clients (and our own plugin
 * against Keycloak or Dex) ask for it. The scope is dropped from the request here and granted by
 * {@link DeviceCodeIdTokens}, which adds the id_token for every device grant of this provider.
 */
final class DeviceOpenIdScope implements AuthenticationConverter {

    private final OAuth2DeviceAuthorizationRequestAuthenticationConverter delegate =
            new OAuth2DeviceAuthorizationRequestAuthenticationConverter();

    @Override
    public @Nullable Authentication convert(HttpServletRequest request) {
        Authentication converted = delegate.convert(request);
        if (!(converted instanceof OAuth2DeviceAuthorizationRequestAuthenticationToken token)
                || !token.getScopes().contains(OidcScopes.OPENID)) {
            return converted;
        }
        Set<String> scopes = new LinkedHashSet<>(token.getScopes());
        scopes.remove(OidcScopes.OPENID);
        return new OAuth2DeviceAuthorizationRequestAuthenticationToken((Authentication) token.getPrincipal(),
                token.getAuthorizationUri(), scopes, token.getAdditionalParameters());
    }
}
