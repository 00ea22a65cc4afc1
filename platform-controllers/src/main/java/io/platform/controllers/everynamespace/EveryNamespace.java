package io.platform.controllers.everynamespace;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.platform.common.reconcile.Controller;
import io.platform.common.reconcile.ObjectKey;
import io.platform.common.reconcile.Reconciler;
import io.platform.common.reconcile.SharedInformers;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * For controllers that keep named objects in every namespace (the {@code default} ServiceAccount,
 * {@code kube-root-ca.crt}), as upstream's serviceaccount controller and root-ca-cert-publisher: one key per
 * namespace, woken by the namespace and by a change to one of its kept objects, never filling a namespace that is
 * being deleted.
 */
public final class EveryNamespace {

    private EveryNamespace() {}

    /** A controller keyed by namespace, watching namespaces and the objects of {@code type} named {@code names}. */
    public static <T extends HasMetadata> Controller controller(String name, SharedInformers informers, Class<T> type,
            Collection<String> names, Reconciler reconciler, int workers, Duration backoffBase, Duration backoffMax) {
        return Controller.builder(name, informers)
                .forType(Namespace.class)
                .watches(type, object -> names.contains(object.getMetadata().getName())
                        ? List.of(new ObjectKey("", object.getMetadata().getNamespace())) : List.of())
                .reconciler(reconciler)
                .workers(workers)
                .backoff(backoffBase, backoffMax)
                .build();
    }

    /** The namespace a key names when it exists and is not being deleted. */
    public static Optional<Namespace> active(SharedInformers informers, ObjectKey key) {
        return informers.get(Namespace.class, key).filter(ns -> !terminating(ns));
    }

    /** Marked for deletion, or in phase {@code Terminating}. */
    public static boolean terminating(Namespace ns) {
        return ns.getMetadata().getDeletionTimestamp() != null
                || (ns.getStatus() != null && "Terminating".equals(ns.getStatus().getPhase()));
    }

    /**
     * A create that lost to something ordinary: the object appeared meanwhile (409), the namespace went (404), or
     * the namespace is being deleted (403 with upstream's {@code NamespaceTerminating} cause, or
     * NamespaceLifecycle's message).
     */
    public static boolean lostToNamespaceChange(KubernetesClientException e) {
        if (e.getCode() == 409 || e.getCode() == 404) {
            return true;
        }
        if (e.getCode() != 403) {
            return false;
        }
        var status = e.getStatus();
        if (status != null && status.getDetails() != null && status.getDetails().getCauses() != null
                && status.getDetails().getCauses().stream().anyMatch(c -> "NamespaceTerminating".equals(c.getReason()))) {
            return true;
        }
        String message = status == null ? e.getMessage() : status.getMessage();
        return message != null && message.contains("because it is being terminated");
    }
}
