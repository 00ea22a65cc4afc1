package io.platform.controllers;

import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the controller manager.
 *
 * @param kubeconfig the controller manager's own kubeconfig ({@code controller-manager.kubeconfig})
 * @param deploymentWorkers concurrent Deployment syncs (kube-controller-manager: 5)
 * @param replicaSetWorkers concurrent ReplicaSet syncs (kube-controller-manager: 5)
 * @param garbageCollectorWorkers concurrent garbage collection workers per dependent type
 * @param resync how often informers replay their cache to the handlers
 * @param backoffBase first retry delay of a failed key (client-go: 5ms)
 * @param backoffMax longest retry delay of a failed key
 * @param expectationsTimeout after this, unobserved creations/deletions no longer block a ReplicaSet (upstream: 5m)
 * @param shutdownTimeout how long stopping waits for running reconciles and informers' initial lists
 * @param certificates the certificates.k8s.io controllers (CSR approving, signing and cleaning)
 */
@ConfigurationProperties("platform.controllers")
public record ControllersProperties(
        Path kubeconfig,
        @DefaultValue("2") int deploymentWorkers,
        @DefaultValue("2") int replicaSetWorkers,
        @DefaultValue("1") int garbageCollectorWorkers,
        @DefaultValue("10m") Duration resync,
        @DefaultValue("5ms") Duration backoffBase,
        @DefaultValue("60s") Duration backoffMax,
        @DefaultValue("5m") Duration expectationsTimeout,
        @DefaultValue("5s") Duration shutdownTimeout,
        @DefaultValue Certificates certificates) {

    /**
     * Settings of the CSR approver, signer and cleaner, as kube-controller-manager's {@code --cluster-signing-*} flags
     * and its csrcleaner's fixed ages.
     *
     * @param signingCertFile the CA certificate issuing the kubernetes.io signers' certificates ({@code pki/ca.crt});
     *     read again when its content changes. Without it and {@code signingKeyFile} nothing is signed
     * @param signingKeyFile the CA's private key ({@code pki/ca.key})
     * @param clusterSigningDuration the longest validity of an issued certificate (kube-controller-manager: 365d); a
     *     request's {@code spec.expirationSeconds} shortens it, to no less than 10 minutes
     * @param signingBackdate how far before issuance a certificate's validity starts, for peers whose clocks lag
     * @param approveKubeletServing whether a node's kubelet-serving requests naming only its own addresses are approved
     * @param approvedExpiration how long an issued request is kept after its approval (upstream: 1h)
     * @param deniedExpiration how long a denied request is kept (upstream: 1h)
     * @param failedExpiration how long a failed request is kept (upstream: 1h)
     * @param pendingExpiration how long a request no signer has issued is kept (upstream: 24h)
     * @param cleanerInterval how often every request is looked at again for the cleaner (upstream polls hourly)
     */
    public record Certificates(
            @Nullable Path signingCertFile,
            @Nullable Path signingKeyFile,
            @DefaultValue("365d") Duration clusterSigningDuration,
            @DefaultValue("5m") Duration signingBackdate,
            @DefaultValue("true") boolean approveKubeletServing,
            @DefaultValue("1h") Duration approvedExpiration,
            @DefaultValue("1h") Duration deniedExpiration,
            @DefaultValue("1h") Duration failedExpiration,
            @DefaultValue("24h") Duration pendingExpiration,
            @DefaultValue("1h") Duration cleanerInterval) {}
}
