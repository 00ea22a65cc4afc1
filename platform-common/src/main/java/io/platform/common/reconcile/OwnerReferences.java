package io.platform.common.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.List;
import java.util.Optional;

/** Reading and building {@code metadata.ownerReferences}, as the apimachinery helpers do. */
public final class OwnerReferences {

    private OwnerReferences() {}

    public static List<OwnerReference> of(HasMetadata object) {
        List<OwnerReference> refs = object.getMetadata().getOwnerReferences();
        return refs == null ? List.of() : refs;
    }

    /** The one owner reference with {@code controller: true}, if any. */
    public static Optional<OwnerReference> controllerOf(HasMetadata object) {
        return of(object).stream().filter(ref -> Boolean.TRUE.equals(ref.getController())).findFirst();
    }

    /** A controller reference to the owner, with blockOwnerDeletion as kube-controller-manager sets it. */
    public static OwnerReference controllerReference(HasMetadata owner) {
        return new OwnerReferenceBuilder()
                .withApiVersion(HasMetadata.getApiVersion(owner.getClass()))
                .withKind(HasMetadata.getKind(owner.getClass()))
                .withName(owner.getMetadata().getName())
                .withUid(owner.getMetadata().getUid())
                .withController(true)
                .withBlockOwnerDeletion(true)
                .build();
    }

    /** Whether the reference names an object of the given type (group and kind; any version). */
    public static boolean refersTo(OwnerReference ref, Class<? extends HasMetadata> type) {
        return HasMetadata.getKind(type).equals(ref.getKind()) && HasMetadata.getGroup(type).equals(group(ref.getApiVersion()));
    }

    public static String group(String apiVersion) {
        if (apiVersion == null) {
            return "";
        }
        int slash = apiVersion.indexOf('/');
        return slash < 0 ? "" : apiVersion.substring(0, slash);
    }
}
