package io.platform.controllers.serviceaccount;

import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.platform.common.reconcile.Controller;
import io.platform.common.reconcile.ObjectKey;
import io.platform.common.reconcile.Reconciler;
import io.platform.common.reconcile.Result;
import io.platform.common.reconcile.SharedInformers;
import io.platform.controllers.everynamespace.EveryNamespace;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ensures the {@code default} ServiceAccount exists in every namespace, as kube-controller-manager's
 * serviceaccount controller: created when a namespace appears, re-created when deleted, never in a
 * namespace that is terminating. Keys are namespace names.
 */
public final class ServiceAccountsReconciler implements Reconciler {

    private static final Logger log = LoggerFactory.getLogger(ServiceAccountsReconciler.class);
    /** The accounts every namespace gets (upstream's serviceAccountsToEnsure). */
    static final List<String> ENSURED = List.of("default");

    private final KubernetesClient client;
    private final SharedInformers informers;

    public ServiceAccountsReconciler(KubernetesClient client, SharedInformers informers) {
        this.client = client;
        this.informers = informers;
    }

    /** The controller: namespaces, and the ensured ServiceAccounts mapped to their namespace. */
    public static Controller controller(SharedInformers informers, Reconciler reconciler, int workers,
            Duration backoffBase, Duration backoffMax) {
        return EveryNamespace.controller("serviceaccount", informers, ServiceAccount.class, ENSURED, reconciler, workers, backoffBase,
                backoffMax);
    }

    @Override
    public Result reconcile(ObjectKey key) {
        String namespace = key.name();
        if (EveryNamespace.active(informers, key).isEmpty()) {
            return Result.done();
        }
        for (String name : ENSURED) {
            if (informers.get(ServiceAccount.class, new ObjectKey(namespace, name)).isPresent()) {
                continue;
            }
            ServiceAccount account = new ServiceAccountBuilder()
                    .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                    .build();
            try {
                client.serviceAccounts().inNamespace(namespace).resource(account).create();
                log.info("serviceaccount {}/{}: created", namespace, name);
            } catch (KubernetesClientException e) {
                // already there (the cache is behind), or the namespace went away or started terminating meanwhile
                if (!EveryNamespace.lostToNamespaceChange(e)) {
                    throw e;
                }
            }
        }
        return Result.done();
    }
}
