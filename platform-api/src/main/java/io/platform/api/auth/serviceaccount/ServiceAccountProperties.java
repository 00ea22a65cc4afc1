package io.platform.api.auth.serviceaccount;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * ServiceAccount token settings ({@code platform.api.service-account.*}), as kube-apiserver's
 * {@code --service-account-*} flags.
 *
 * @param issuer the {@code iss} of every token and the issuer of the discovery document
 * @param jwksUri the {@code jwks_uri} the discovery document names; empty means {@code <issuer>/openid/v1/jwks}
 * @param keyRotationPeriod how old the newest signing key may get before a new one takes over signing
 * @param maxTokenExpiration the longest lifetime a TokenRequest gets; longer requests are shortened to it
 * @param keyCheckInterval how often the keys are checked for rotation and for retired keys that may go
 */
@ConfigurationProperties("platform.api.service-account")
public record ServiceAccountProperties(
        @DefaultValue("https://kubernetes.default.svc.cluster.local") String issuer,
        @DefaultValue("") String jwksUri,
        @DefaultValue("30d") Duration keyRotationPeriod,
        @DefaultValue("48h") Duration maxTokenExpiration,
        @DefaultValue("10m") Duration keyCheckInterval) {

    /** The JWKS address the discovery document names. */
    public String effectiveJwksUri() {
        return jwksUri.isEmpty() ? stripTrailingSlash(issuer) + IssuerDiscovery.JWKS_PATH : jwksUri;
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
