package io.platform.controllers.garbagecollector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.platform.controllers.RunningControllers;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Deletion propagation through the real API server: orphan, foreground and background cascades. */
class GarbageCollectorApiServerTest {

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
    void orphanDeletionKeepsThePodsWithoutTheirOwner() {
        String ns = cluster.namespace("gc-orphan");
        ReplicaSet rs = admin.apps().replicaSets().inNamespace(ns).resource(replicaSet(ns, "cache", 2)).create();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(ownedBy(ns, rs.getMetadata().getUid())).hasSize(2));

        admin.apps().replicaSets().inNamespace(ns).withName("cache").withPropagationPolicy(DeletionPropagation.ORPHAN).delete();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(admin.apps().replicaSets().inNamespace(ns).withName("cache").get()).isNull();
            List<Pod> pods = cluster.pods(ns);
            assertThat(pods).hasSize(2).allSatisfy(pod -> assertThat(pod.getMetadata().getOwnerReferences()).isNullOrEmpty());
        });
    }

    @Test
    void foregroundDeletionRemovesTheOwnerOnlyAfterItsDependents() throws Exception {
        String ns = cluster.namespace("gc-foreground");
        admin.apps().deployments().inNamespace(ns).resource(deployment(ns, "web", 2)).create();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(cluster.pods(ns)).hasSize(2));

        CompletableFuture<Void> gone = new CompletableFuture<>();
        try (Watch watch = admin.apps().deployments().inNamespace(ns).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Deployment deployment) {
                if (action == Action.DELETED) {
                    gone.complete(null);
                }
            }

            @Override
            public void onClose(WatcherException cause) {
                gone.completeExceptionally(cause);
            }
        })) {
            admin.apps().deployments().inNamespace(ns).withName("web").withPropagationPolicy(DeletionPropagation.FOREGROUND).delete();
            gone.get(15, TimeUnit.SECONDS);
        }
        // the deployment went last: its replica set and that one's pods were gone before
        assertThat(admin.apps().replicaSets().inNamespace(ns).list().getItems()).isEmpty();
        assertThat(admin.pods().inNamespace(ns).list().getItems()).isEmpty();
    }

    @Test
    void foregroundDeletionOfAnObjectWithoutDependentsCompletes() {
        String ns = cluster.namespace("gc-leaf");
        admin.pods().inNamespace(ns).resource(new PodBuilder().withNewMetadata().withName("leaf").endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("busybox:1.35").endContainer().endSpec().build()).create();

        admin.pods().inNamespace(ns).withName("leaf").withPropagationPolicy(DeletionPropagation.FOREGROUND).delete();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(admin.pods().inNamespace(ns).withName("leaf").get()).isNull());
    }

    @Test
    void everyCollectedTypeLosesItsDeletionFinalizers() {
        String ns = cluster.namespace("gc-types");
        ConfigMap owner = admin.configMaps().inNamespace(ns).resource(new ConfigMapBuilder()
                .withNewMetadata().withName("owner").endMetadata().build()).create();
        admin.secrets().inNamespace(ns).resource(new SecretBuilder().withNewMetadata().withName("dependent")
                .addNewOwnerReference().withApiVersion("v1").withKind("ConfigMap").withName("owner")
                .withUid(owner.getMetadata().getUid()).withBlockOwnerDeletion(true).endOwnerReference()
                .endMetadata().build()).create();
        admin.batch().v1().jobs().inNamespace(ns).resource(new JobBuilder().withNewMetadata().withName("job").endMetadata()
                .withNewSpec().withNewTemplate().withNewSpec().withRestartPolicy("Never").addNewContainer().withName("app")
                .withImage("busybox:1.35").endContainer().endSpec().endTemplate().endSpec().build()).create();

        admin.configMaps().inNamespace(ns).withName("owner").withPropagationPolicy(DeletionPropagation.FOREGROUND).delete();
        // no policy: batch/v1 jobs default to orphaning, so the job carries the orphan finalizer first
        admin.batch().v1().jobs().inNamespace(ns).withName("job").delete();

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(admin.secrets().inNamespace(ns).withName("dependent").get()).isNull();
            assertThat(admin.configMaps().inNamespace(ns).withName("owner").get()).isNull();
            assertThat(admin.batch().v1().jobs().inNamespace(ns).withName("job").get()).isNull();
        });
    }

    @Test
    void backgroundDeletionRemovesTheOwnerAtOnceAndItsDependentsAfter() {
        String ns = cluster.namespace("gc-background");
        ReplicaSet rs = admin.apps().replicaSets().inNamespace(ns).resource(replicaSet(ns, "jobs", 2)).create();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(ownedBy(ns, rs.getMetadata().getUid())).hasSize(2));

        admin.apps().replicaSets().inNamespace(ns).withName("jobs").withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
        assertThat(admin.apps().replicaSets().inNamespace(ns).withName("jobs").get()).isNull();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(admin.pods().inNamespace(ns).list().getItems()).isEmpty());
    }

    private static List<Pod> ownedBy(String ns, String uid) {
        return cluster.pods(ns).stream().filter(pod -> pod.getMetadata().getOwnerReferences() != null
                && pod.getMetadata().getOwnerReferences().stream().anyMatch(ref -> uid.equals(ref.getUid()))).toList();
    }

    private static ReplicaSet replicaSet(String ns, String app, int replicas) {
        return new ReplicaSetBuilder().withNewMetadata().withName(app).withNamespace(ns).endMetadata()
                .withNewSpec().withReplicas(replicas).withNewSelector().addToMatchLabels("app", app).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", app).endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("busybox:1.35").endContainer().endSpec().endTemplate()
                .endSpec().build();
    }

    private static Deployment deployment(String ns, String app, int replicas) {
        return new DeploymentBuilder().withNewMetadata().withName(app).withNamespace(ns).endMetadata()
                .withNewSpec().withReplicas(replicas).withNewSelector().addToMatchLabels("app", app).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", app).endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("busybox:1.35").endContainer().endSpec().endTemplate()
                .endSpec().build();
    }
}
