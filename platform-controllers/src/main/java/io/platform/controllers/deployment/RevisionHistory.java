package io.platform.controllers.deployment;

import static io.platform.controllers.deployment.ReplicaSetFields.name;
import static io.platform.controllers.deployment.ReplicaSetFields.specReplicas;

import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Keeps at most {@code revisionHistoryLimit} old ReplicaSets, as upstream's cleanupDeployment. */
final class RevisionHistory {

    private static final Logger log = LoggerFactory.getLogger(RevisionHistory.class);

    private final KubernetesClient client;

    RevisionHistory(KubernetesClient client) {
        this.client = client;
    }

    /** Deletes the oldest fully scaled-down ReplicaSets beyond revisionHistoryLimit (default 10). */
    void cleanup(DeploymentSync sync) {
        int limit = sync.d.getSpec().getRevisionHistoryLimit() == null ? 10 : sync.d.getSpec().getRevisionHistoryLimit();
        List<ReplicaSet> cleanable = sync.oldRSs().stream().filter(rs -> rs.getMetadata().getDeletionTimestamp() == null)
                .sorted(Comparator.comparingInt(ReplicaSetFields::revision)).toList();
        int diff = cleanable.size() - limit;
        for (ReplicaSet rs : cleanable) {
            if (diff <= 0) {
                break;
            }
            long observed = rs.getStatus() == null || rs.getStatus().getObservedGeneration() == null ? 0 : rs.getStatus().getObservedGeneration();
            long generation = rs.getMetadata().getGeneration() == null ? 0 : rs.getMetadata().getGeneration();
            int statusReplicas = rs.getStatus() == null || rs.getStatus().getReplicas() == null ? 0 : rs.getStatus().getReplicas();
            if (statusReplicas != 0 || specReplicas(rs) != 0 || generation > observed) {
                continue;
            }
            log.info("deployment {}: deleting old replica set {} (revisionHistoryLimit {})", sync.key(), name(rs), limit);
            try {
                client.apps().replicaSets().inNamespace(sync.key().namespace()).withName(name(rs)).delete();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 404) {
                    throw e;
                }
            }
            sync.all.remove(rs);
            diff--;
        }
    }
}
