package io.platform.controllers.replicaset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.platform.common.reconcile.OwnerReferences;
import io.platform.controllers.RunningControllers;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The ReplicaSet controller's claims against the real API server: adoption of orphans, release of pods that stop matching. */
class ReplicaSetControllerApiServerTest {

    private static RunningControllers cluster;
    private static KubernetesClient admin;

    @BeforeAll
    static void start() {
        cluster = RunningControllers.start();
        admin = cluster.admin();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void adoptsAMatchingOrphanAndReleasesAPodWhoseLabelsNoLongerMatch() {
        String ns = cluster.namespace("claims");
        Pod orphan = new PodBuilder().withNewMetadata().withName("orphan").withNamespace(ns).addToLabels("app", "cache").endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("busybox:1.35").endContainer().endSpec().build();
        admin.pods().inNamespace(ns).resource(orphan).create();
        ReplicaSet rs = admin.apps().replicaSets().inNamespace(ns).resource(replicaSet(ns, "cache", 2)).create();

        // the orphan counts as one of the two replicas: only one pod is created
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Pod adopted = admin.pods().inNamespace(ns).withName("orphan").get();
            assertThat(OwnerReferences.controllerOf(adopted)).hasValueSatisfying(ref -> {
                assertThat(ref.getUid()).isEqualTo(rs.getMetadata().getUid());
                assertThat(ref.getKind()).isEqualTo("ReplicaSet");
                assertThat(ref.getBlockOwnerDeletion()).isTrue();
            });
            assertThat(cluster.pods(ns)).hasSize(2).allSatisfy(pod -> assertThat(controllerUid(pod)).isEqualTo(rs.getMetadata().getUid()));
            assertThat(admin.apps().replicaSets().inNamespace(ns).withName("cache").get().getStatus().getReplicas()).isEqualTo(2);
        });

        // relabelled out of the selector: released (controller reference removed) and replaced
        await().atMost(Duration.ofSeconds(5)).ignoreExceptionsInstanceOf(KubernetesClientException.class).until(() -> {
            admin.pods().inNamespace(ns).withName("orphan").edit(pod -> new PodBuilder(pod).editMetadata()
                    .addToLabels("app", "debugging").endMetadata().build());
            return true;
        });
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Pod released = admin.pods().inNamespace(ns).withName("orphan").get();
            assertThat(released.getMetadata().getOwnerReferences()).isNullOrEmpty();
            List<Pod> owned = cluster.pods(ns).stream().filter(pod -> rs.getMetadata().getUid().equals(controllerUid(pod))).toList();
            assertThat(owned).hasSize(2).allSatisfy(pod -> assertThat(pod.getMetadata().getLabels()).containsEntry("app", "cache"));
            assertThat(cluster.pods(ns)).hasSize(3);
        });
    }

    private static String controllerUid(Pod pod) {
        return OwnerReferences.controllerOf(pod).map(ref -> ref.getUid()).orElse("");
    }

    private static ReplicaSet replicaSet(String ns, String app, int replicas) {
        return new ReplicaSetBuilder().withNewMetadata().withName(app).withNamespace(ns).endMetadata()
                .withNewSpec().withReplicas(replicas).withNewSelector().addToMatchLabels("app", app).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", app).endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("busybox:1.35").endContainer().endSpec().endTemplate()
                .endSpec().build();
    }
}
