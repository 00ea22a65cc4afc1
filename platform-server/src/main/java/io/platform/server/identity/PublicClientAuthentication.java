package io.platform.server.identity;

import jakarta.servlet.http.HttpServletRequest;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * Client authentication of a public client (no secret, as kubectl's exec plugin is) for the
 * requests Spring Authorization Server only accepts from confidential clients: the device
 * authorization request, the device_code grant and the refresh_token grant. The client proves
 * nothing but its id, as RFC 8628 and RFC 6749 section 6 allow for public clients; the device code
 * or refresh token is the secret. Authorization code requests keep PKCE (Spring's own provider).
 */
final class PublicClientAuthentication {

    private static final Set<String> GRANTS = Set.of(AuthorizationGrantType.REFRESH_TOKEN.getValue(),
            AuthorizationGrantType.DEVICE_CODE.getValue());
    private static final String PUBLIC_GRANT = PublicClientAuthentication.class.getName();

    private PublicClientAuthentication() {}

    /** Reads {@code client_id} alone from a device authorization, device_code or refresh_token request. */
    static final class Converter implements AuthenticationConverter {

        private final String deviceAuthorizationEndpoint;

        Converter(String deviceAuthorizationEndpoint) {
            this.deviceAuthorizationEndpoint = deviceAuthorizationEndpoint;
        }

        @Override
        public @Nullable Authentication convert(HttpServletRequest request) {
            String grantType = request.getParameter(OAuth2ParameterNames.GRANT_TYPE);
            boolean deviceAuthorization = request.getRequestURI().endsWith(deviceAuthorizationEndpoint);
            if (!deviceAuthorization && (grantType == null || !GRANTS.contains(grantType))) {
                return null;
            }
            String[] clientIds = request.getParameterValues(OAuth2ParameterNames.CLIENT_ID);
            if (request.getHeader(HttpHeaders.AUTHORIZATION) != null
                    || request.getParameter(OAuth2ParameterNames.CLIENT_SECRET) != null
                    || clientIds == null || clientIds.length != 1 || clientIds[0].isBlank()) {
                return null;
            }
            Map<String, Object> parameters = new HashMap<>();
            request.getParameterMap().forEach((key, values) -> {
                if (!key.equals(OAuth2ParameterNames.CLIENT_ID)) {
                    parameters.put(key, values.length == 1 ? values[0] : values);
                }
            });
            parameters.put(PUBLIC_GRANT, true);
            return new OAuth2ClientAuthenticationToken(clientIds[0], ClientAuthenticationMethod.NONE, null, parameters);
        }
    }

    /** Accepts the client id of a registered public client for the requests {@link Converter} reads. */
    static final class Provider implements AuthenticationProvider {

        private final RegisteredClientRepository clients;

        Provider(RegisteredClientRepository clients) {
            this.clients = clients;
        }

        @Override
        public @Nullable Authentication authenticate(Authentication authentication) {
            OAuth2ClientAuthenticationToken token = (OAuth2ClientAuthenticationToken) authentication;
            if (!ClientAuthenticationMethod.NONE.equals(token.getClientAuthenticationMethod())
                    || !Boolean.TRUE.equals(token.getAdditionalParameters().get(PUBLIC_GRANT))) {
                return null;
            }
            RegisteredClient client = clients.findByClientId(String.valueOf(token.getPrincipal()));
            if (client == null || !client.getClientAuthenticationMethods().contains(ClientAuthenticationMethod.NONE)) {
                throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_CLIENT,
                        "Client authentication failed: client_id", null));
            }
            return new OAuth2ClientAuthenticationToken(client, ClientAuthenticationMethod.NONE, null);
        }

        @Override
        public boolean supports(Class<?> authentication) {
            return OAuth2ClientAuthenticationToken.class.isAssignableFrom(authentication);
        }
    }
}
