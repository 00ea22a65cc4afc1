package io.platform.controllers.ownership;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.platform.common.reconcile.ObjectKey;
import io.platform.common.reconcile.OwnerReferences;
import io.platform.common.selector.LabelSelectors;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims objects for an owner, as kube-controller-manager's ControllerRefManager: objects it controls
 * that still match its selector are kept, those that no longer match are released (controller
 * reference removed), and orphans that match are adopted, but only after a fresh read confirms the
 * owner still exists and is not being deleted.
 */
public final class ControllerRefClaims {

    private static final Logger log = LoggerFactory.getLogger(ControllerRefClaims.class);

    private final KubernetesClient client;

    public ControllerRefClaims(KubernetesClient client) {
        this.client = client;
    }

    /**
     * @param fresh reads the owner from the API (not the cache) before adopting
     * @return the objects the owner controls after claiming
     */
    public <T extends HasMetadata> List<T> claim(HasMetadata owner, LabelSelector selector, List<T> candidates,
            Supplier<Optional<? extends HasMetadata>> fresh) {
        String ownerUid = owner.getMetadata().getUid();
        boolean ownerDeleting = owner.getMetadata().getDeletionTimestamp() != null;
        List<T> claimed = new ArrayList<>();
        Boolean canAdopt = null;
        for (T candidate : candidates) {
            boolean matches = LabelSelectors.matches(selector, candidate.getMetadata().getLabels());
            Optional<OwnerReference> controllerRef = OwnerReferences.controllerOf(candidate);
            if (controllerRef.isPresent()) {
                if (!ownerUid.equals(controllerRef.get().getUid())) {
                    continue;
                }
                if (matches || ownerDeleting) {
                    claimed.add(candidate);
                } else {
                    release(owner, candidate);
                }
                continue;
            }
            if (!matches || ownerDeleting || candidate.getMetadata().getDeletionTimestamp() != null) {
                continue;
            }
            if (canAdopt == null) {
                canAdopt = fresh.get().filter(current -> ownerUid.equals(current.getMetadata().getUid())
                        && current.getMetadata().getDeletionTimestamp() == null).isPresent();
            }
            if (canAdopt) {
                adopt(owner, candidate).ifPresent(claimed::add);
            }
        }
        return claimed;
    }

    private <T extends HasMetadata> Optional<T> adopt(HasMetadata owner, T object) {
        T copy = client.getKubernetesSerialization().clone(object);
        List<OwnerReference> refs = new ArrayList<>(OwnerReferences.of(copy));
        refs.add(OwnerReferences.controllerReference(owner));
        copy.getMetadata().setOwnerReferences(refs);
        try {
            T adopted = client.resource(copy).update();
            log.info("{} {} adopted {} {}", owner.getKind(), ObjectKey.of(owner), object.getKind(), ObjectKey.of(object));
            return Optional.of(adopted);
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private void release(HasMetadata owner, HasMetadata object) {
        HasMetadata copy = client.getKubernetesSerialization().clone(object);
        List<OwnerReference> refs = new ArrayList<>(OwnerReferences.of(copy));
        refs.removeIf(ref -> owner.getMetadata().getUid().equals(ref.getUid()));
        copy.getMetadata().setOwnerReferences(refs);
        try {
            client.resource(copy).update();
            log.info("{} {} released {} {}", owner.getKind(), ObjectKey.of(owner), object.getKind(), ObjectKey.of(object));
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
    }
}
