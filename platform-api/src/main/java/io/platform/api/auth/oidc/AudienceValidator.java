package io.platform.api.auth.oidc;

import java.util.List;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * The id_token must be meant for one of the configured client ids, as go-oidc's verifier in kube-apiserver checks
 * {@code aud}; a token for several audiences must also name which one it was issued to ({@code azp}, OpenID Connect
 * Core 3.1.3.7), and that must be one of ours.
 */
final class AudienceValidator implements OAuth2TokenValidator<Jwt> {

    private final List<String> clientIds;

    AudienceValidator(List<String> clientIds) {
        this.clientIds = List.copyOf(clientIds);
    }

    @Override
    public OAuth2TokenValidatorResult validate(Jwt token) {
        List<String> audience = token.getAudience() == null ? List.of() : token.getAudience();
        if (audience.stream().noneMatch(clientIds::contains)) {
            return failure("expected audience " + quoted(clientIds) + " got " + quoted(audience));
        }
        if (audience.size() > 1) {
            String authorizedParty = token.getClaimAsString("azp");
            if (authorizedParty == null) {
                return failure("token has several audiences " + quoted(audience) + " but no azp claim");
            }
            if (!clientIds.contains(authorizedParty)) {
                return failure("expected azp " + quoted(clientIds) + " got \"" + authorizedParty + "\"");
            }
        }
        return OAuth2TokenValidatorResult.success();
    }

    private static OAuth2TokenValidatorResult failure(String description) {
        return OAuth2TokenValidatorResult.failure(new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN, description, null));
    }

    private static String quoted(List<String> values) {
        return values.stream().map(v -> "\"" + v + "\"").toList().toString();
    }
}
