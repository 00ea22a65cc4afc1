package io.platform.server.identity;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the built-in provider ({@code platform.identity.*}).
 *
 * @param dataDir the cluster's data dir: {@code identity.db}, the CA and the provider's keys live there
 * @param issuer the issuer URL, exactly as API servers are configured with it ({@code https://HOST:6444})
 * @param clientId the public client people's kubectl signs in as
 * @param idTokenTtl how long an id_token (the bearer token kubectl sends) stays valid
 * @param refreshTokenTtl how long a refresh token may renew id_tokens without a new sign-in
 */
@ConfigurationProperties("platform.identity")
record IdentityProperties(
        Path dataDir,
        String issuer,
        @DefaultValue("kubectl") String clientId,
        @DefaultValue("15m") Duration idTokenTtl,
        @DefaultValue("15m") Duration accessTokenTtl,
        @DefaultValue("7d") Duration refreshTokenTtl,
        @DefaultValue("10m") Duration deviceCodeTtl,
        @DefaultValue("5m") Duration authorizationCodeTtl) {}
