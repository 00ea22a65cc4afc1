package io.platform.agent.server;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Authentication, authorization and certificate settings of the agent's API ({@code platform.agent.api.*}), with
 * the kubelet's defaults.
 *
 * @param authenticationCacheTtl how long a token the API server accepted stays accepted without asking again
 *     (the kubelet's {@code --authentication-token-webhook-cache-ttl}, 2m)
 * @param authenticationFailureCacheTtl how long a refused token stays refused (30s)
 * @param authorizationAllowedCacheTtl how long an allowed SubjectAccessReview answer is reused
 *     (the kubelet's {@code --authorization-webhook-cache-authorized-ttl}, 5m)
 * @param authorizationDeniedCacheTtl how long a denied answer is reused
 *     (the kubelet's {@code --authorization-webhook-cache-unauthorized-ttl}, 30s)
 * @param certificateReloadInterval how often the serving certificate, its key and the client CA are read again,
 *     so a renewed certificate or a rotated CA bundle is served without a restart
 */
@ConfigurationProperties("platform.agent.api")
public record AgentApiProperties(
        @DefaultValue("2m") Duration authenticationCacheTtl,
        @DefaultValue("30s") Duration authenticationFailureCacheTtl,
        @DefaultValue("5m") Duration authorizationAllowedCacheTtl,
        @DefaultValue("30s") Duration authorizationDeniedCacheTtl,
        @DefaultValue("10s") Duration certificateReloadInterval) {}
