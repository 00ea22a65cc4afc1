package io.platform.controllers.deployment;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.util.Comparator;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** Null-safe readers of the ReplicaSet, pod and metadata fields the Deployment controller decides on. */
final class ReplicaSetFields {

    static final Comparator<ReplicaSet> BY_CREATION = Comparator
            .comparing((ReplicaSet rs) -> Objects.requireNonNullElse(rs.getMetadata().getCreationTimestamp(), ""))
            .thenComparing(rs -> rs.getMetadata().getName());

    private ReplicaSetFields() {}

    static int specReplicas(ReplicaSet rs) {
        return rs.getSpec().getReplicas() == null ? 0 : rs.getSpec().getReplicas();
    }

    static int statusReplicas(ReplicaSet rs) {
        return rs.getStatus() == null ? 0 : orZero(rs.getStatus().getReplicas());
    }

    static int available(ReplicaSet rs) {
        return rs.getStatus() == null ? 0 : orZero(rs.getStatus().getAvailableReplicas());
    }

    static int revision(ReplicaSet rs) {
        return parseInt(annotation(rs, DeploymentReconciler.REVISION));
    }

    static int parseInt(@Nullable String value) {
        if (value == null) {
            return 0;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static int orZero(@Nullable Integer value) {
        return value == null ? 0 : value;
    }

    static @Nullable String annotation(HasMetadata object, String name) {
        return object.getMetadata().getAnnotations() == null ? null : object.getMetadata().getAnnotations().get(name);
    }

    static String name(HasMetadata object) {
        return object.getMetadata().getName();
    }

    static @Nullable String phase(Pod pod) {
        return pod.getStatus() == null ? null : pod.getStatus().getPhase();
    }
}
