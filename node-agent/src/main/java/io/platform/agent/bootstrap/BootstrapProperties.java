package io.platform.agent.bootstrap;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * TLS bootstrap and certificate rotation settings of the node agent ({@code platform.agent.bootstrap.*}), with the
 * kubelet's defaults. The bootstrap kubeconfig itself is {@code platform.agent.bootstrap-kubeconfig}.
 *
 * @param rotateCertificates renew the client certificate of {@code platform.agent.kubeconfig} through a
 *     CertificateSigningRequest before it expires (the kubelet's {@code rotateCertificates})
 * @param serverTlsBootstrap request the serving certificate from the cluster when {@code platform.agent.tls-cert} is
 *     missing and renew it before it expires (the kubelet's {@code serverTLSBootstrap})
 * @param certificateTimeout how long a request may wait to be approved and signed (the kubelet's 15 minutes)
 * @param requestedDuration the validity asked for in {@code spec.expirationSeconds} (at least 10 minutes); none
 *     leaves it to the signer's {@code cluster-signing-duration}
 * @param rotationThreshold the share of a certificate's validity that passes before it is renewed at the earliest
 * @param rotationJitter the random share of the validity added to {@code rotationThreshold}, so nodes that joined
 *     together do not all renew at once (0.7 + 0.2: between 70 and 90 %, as the kubelet's certificate manager)
 * @param retryInterval the first wait after a failed request; it doubles up to {@code maxRetryInterval}
 * @param maxRetryInterval the longest wait between failed requests
 * @param selfSignedValidity validity of the self-signed serving certificate served until the cluster signs one
 */
@ConfigurationProperties("platform.agent.bootstrap")
public record BootstrapProperties(
        @DefaultValue("true") boolean rotateCertificates,
        @DefaultValue("true") boolean serverTlsBootstrap,
        @DefaultValue("15m") Duration certificateTimeout,
        @Nullable Duration requestedDuration,
        @DefaultValue("0.7") double rotationThreshold,
        @DefaultValue("0.2") double rotationJitter,
        @DefaultValue("2s") Duration retryInterval,
        @DefaultValue("5m") Duration maxRetryInterval,
        @DefaultValue("365d") Duration selfSignedValidity) {

    public BootstrapProperties {
        if (rotationThreshold <= 0 || rotationJitter < 0 || rotationThreshold + rotationJitter >= 1) {
            throw new IllegalArgumentException("platform.agent.bootstrap.rotation-threshold (" + rotationThreshold
                    + ") plus rotation-jitter (" + rotationJitter + ") must stay between 0 and 1");
        }
        if (requestedDuration != null && requestedDuration.toSeconds() < 600) {
            throw new IllegalArgumentException("platform.agent.bootstrap.requested-duration must be at least 10m "
                    + "(the API server's minimum spec.expirationSeconds), not " + requestedDuration);
        }
    }
}
