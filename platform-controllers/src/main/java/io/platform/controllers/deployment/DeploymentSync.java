package io.platform.controllers.deployment;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.platform.common.reconcile.ObjectKey;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The state of one Deployment reconcile: the Deployment as last written, its ReplicaSets as last
 * written, and the conditions being built for its status.
 */
final class DeploymentSync {

    Deployment d;
    final List<ReplicaSet> all;
    final List<DeploymentCondition> conditions;
    private final PodTemplateHash hashes;

    DeploymentSync(Deployment d, List<ReplicaSet> all, PodTemplateHash hashes) {
        this.d = d;
        this.all = new ArrayList<>(all);
        this.conditions = new ArrayList<>(d.getStatus() == null || d.getStatus().getConditions() == null
                ? List.of() : d.getStatus().getConditions());
        this.hashes = hashes;
    }

    ObjectKey key() {
        return ObjectKey.of(d);
    }

    int replicas() {
        return d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    }

    /** The oldest ReplicaSet whose template equals the Deployment's, ignoring the hash label. */
    @Nullable ReplicaSet newRS() {
        return all.stream().sorted(ReplicaSetFields.BY_CREATION)
                .filter(rs -> hashes.equalIgnoringHash(rs.getSpec().getTemplate(), d.getSpec().getTemplate()))
                .findFirst().orElse(null);
    }

    List<ReplicaSet> oldRSs() {
        ReplicaSet newRS = newRS();
        return all.stream().filter(rs -> rs != newRS).sorted(ReplicaSetFields.BY_CREATION).toList();
    }

    void replace(ReplicaSet updated) {
        all.replaceAll(rs -> rs.getMetadata().getUid().equals(updated.getMetadata().getUid()) ? updated : rs);
    }
}
