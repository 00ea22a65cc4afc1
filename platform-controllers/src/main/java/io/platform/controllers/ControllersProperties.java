package io.platform.controllers;

import java.nio.file.Path;
import java.time.Duration;
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
        @DefaultValue("5s") Duration shutdownTimeout) {}
