package io.platform.controllers.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.platform.controllers.RunningControllers;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Deployment, ReplicaSet and garbage collector controllers end to end against the real API server. */
class DeploymentControllerApiServerTest {

    private static final Duration ROLLOUT = Duration.ofSeconds(15);

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
    void deploymentRollsOutScalesUpdatesAndIsCollected() {
        String ns = cluster.namespace("rolling");
        admin.apps().deployments().inNamespace(ns).resource(deployment(ns, "web", 2, "busybox:1.35")).create();

        await().atMost(ROLLOUT).untilAsserted(() -> {
            cluster.markPodsReady(ns);
            List<ReplicaSet> sets = replicaSets(ns);
            assertThat(sets).hasSize(1);
            ReplicaSet rs = sets.getFirst();
            String hash = rs.getMetadata().getLabels().get("pod-template-hash");
            assertThat(hash).isNotBlank();
            assertThat(rs.getMetadata().getName()).isEqualTo("web-" + hash);
            assertThat(rs.getMetadata().getAnnotations()).containsEntry("deployment.kubernetes.io/revision", "1")
                    .containsEntry("deployment.kubernetes.io/desired-replicas", "2")
                    .containsEntry("deployment.kubernetes.io/max-replicas", "3");
            assertThat(rs.getSpec().getSelector().getMatchLabels()).containsEntry("pod-template-hash", hash);
            assertThat(cluster.pods(ns)).hasSize(2).allSatisfy(pod -> {
                assertThat(pod.getMetadata().getGenerateName()).isEqualTo("web-" + hash + "-");
                // the API server's generateName suffix: five characters, as upstream
                assertThat(pod.getMetadata().getName()).matches("web-" + hash + "-[a-z0-9]{5}");
                assertThat(pod.getMetadata().getLabels()).containsEntry("app", "web").containsEntry("pod-template-hash", hash);
                assertThat(pod.getMetadata().getOwnerReferences()).singleElement().satisfies(ref -> {
                    assertThat(ref.getKind()).isEqualTo("ReplicaSet");
                    assertThat(ref.getUid()).isEqualTo(rs.getMetadata().getUid());
                    assertThat(ref.getController()).isTrue();
                    assertThat(ref.getBlockOwnerDeletion()).isTrue();
                });
            });
            Deployment d = get(ns, "web");
            assertThat(d.getMetadata().getAnnotations()).containsEntry("deployment.kubernetes.io/revision", "1");
            assertThat(d.getStatus().getObservedGeneration()).isEqualTo(d.getMetadata().getGeneration());
            assertThat(d.getStatus().getReplicas()).isEqualTo(2);
            assertThat(d.getStatus().getUpdatedReplicas()).isEqualTo(2);
            assertThat(d.getStatus().getReadyReplicas()).isEqualTo(2);
            assertThat(d.getStatus().getAvailableReplicas()).isEqualTo(2);
            assertThat(condition(d, "Available").getStatus()).isEqualTo("True");
            assertThat(condition(d, "Available").getReason()).isEqualTo("MinimumReplicasAvailable");
            assertThat(condition(d, "Progressing").getStatus()).isEqualTo("True");
            assertThat(condition(d, "Progressing").getReason()).isEqualTo("NewReplicaSetAvailable");
        });

        edit(ns, "web", d -> new DeploymentBuilder(d).editSpec().withReplicas(3).endSpec().build());
        await().atMost(ROLLOUT).untilAsserted(() -> {
            cluster.markPodsReady(ns);
            assertThat(cluster.pods(ns)).hasSize(3);
            assertThat(get(ns, "web").getStatus().getAvailableReplicas()).isEqualTo(3);
        });

        edit(ns, "web", d -> new DeploymentBuilder(d).editSpec().withReplicas(1).endSpec().build());
        await().atMost(ROLLOUT).untilAsserted(() -> {
            assertThat(cluster.pods(ns)).hasSize(1);
            assertThat(replicaSets(ns).getFirst().getSpec().getReplicas()).isEqualTo(1);
        });

        edit(ns, "web", image("busybox:1.36"));
        await().atMost(ROLLOUT).untilAsserted(() -> {
            cluster.markPodsReady(ns);
            List<ReplicaSet> sets = replicaSets(ns);
            assertThat(sets).hasSize(2);
            ReplicaSet newRS = atRevision(sets, "2");
            ReplicaSet oldRS = atRevision(sets, "1");
            assertThat(newRS.getSpec().getTemplate().getSpec().getContainers().getFirst().getImage()).isEqualTo("busybox:1.36");
            assertThat(newRS.getSpec().getReplicas()).isEqualTo(1);
            assertThat(oldRS.getSpec().getReplicas()).isZero();
            assertThat(cluster.pods(ns)).hasSize(1).allSatisfy(pod -> assertThat(imageOf(pod)).isEqualTo("busybox:1.36"));
            Deployment d = get(ns, "web");
            assertThat(d.getMetadata().getAnnotations()).containsEntry("deployment.kubernetes.io/revision", "2");
            assertThat(d.getStatus().getUpdatedReplicas()).isEqualTo(1);
            assertThat(condition(d, "Progressing").getReason()).isEqualTo("NewReplicaSetAvailable");
        });

        admin.apps().deployments().inNamespace(ns).withName("web").delete();
        await().atMost(ROLLOUT).untilAsserted(() -> {
            assertThat(admin.apps().replicaSets().inNamespace(ns).list().getItems()).isEmpty();
            assertThat(admin.pods().inNamespace(ns).list().getItems()).isEmpty();
        });
    }

    @Test
    void recreateRemovesEveryOldPodBeforeCreatingANewOne() {
        String ns = cluster.namespace("recreate");
        Deployment recreate = new DeploymentBuilder(deployment(ns, "db", 2, "busybox:1.35"))
                .editSpec().withNewStrategy().withType("Recreate").endStrategy().endSpec().build();
        admin.apps().deployments().inNamespace(ns).resource(recreate).create();
        await().atMost(ROLLOUT).untilAsserted(() -> {
            cluster.markPodsReady(ns);
            assertThat(condition(get(ns, "db"), "Progressing").getReason()).isEqualTo("NewReplicaSetAvailable");
        });

        // the order in which pods come and go, as any watcher of the API sees it
        List<String> history = new CopyOnWriteArrayList<>();
        try (Watch watch = admin.pods().inNamespace(ns).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Pod pod) {
                if (action == Action.ADDED || action == Action.DELETED) {
                    history.add(action + " " + imageOf(pod));
                }
            }

            @Override
            public void onClose(WatcherException cause) {
                history.add("CLOSED " + cause.getMessage());
            }
        })) {
            edit(ns, "db", image("busybox:1.36"));
            await().atMost(ROLLOUT).untilAsserted(() -> {
                cluster.markPodsReady(ns);
                Deployment d = get(ns, "db");
                assertThat(d.getMetadata().getAnnotations()).containsEntry("deployment.kubernetes.io/revision", "2");
                assertThat(condition(d, "Progressing").getReason()).isEqualTo("NewReplicaSetAvailable");
                assertThat(cluster.pods(ns)).hasSize(2).allSatisfy(pod -> assertThat(imageOf(pod)).isEqualTo("busybox:1.36"));
            });
        }
        // a watch from no resourceVersion starts with the existing pods, as upstream
        assertThat(history).containsExactly("ADDED busybox:1.35", "ADDED busybox:1.35",
                "DELETED busybox:1.35", "DELETED busybox:1.35", "ADDED busybox:1.36", "ADDED busybox:1.36");
        assertThat(atRevision(replicaSets(ns), "1").getSpec().getReplicas()).isZero();
    }

    @Test
    void pausedDeploymentDoesNotRollUntilResumed() {
        String ns = cluster.namespace("paused");
        admin.apps().deployments().inNamespace(ns).resource(deployment(ns, "api", 2, "busybox:1.35")).create();
        await().atMost(ROLLOUT).untilAsserted(() -> {
            cluster.markPodsReady(ns);
            assertThat(condition(get(ns, "api"), "Progressing").getReason()).isEqualTo("NewReplicaSetAvailable");
        });

        edit(ns, "api", d -> new DeploymentBuilder(d).editSpec().withPaused(true).endSpec().build());
        edit(ns, "api", image("busybox:1.36"));
        await().atMost(ROLLOUT).untilAsserted(() -> {
            Deployment d = get(ns, "api");
            assertThat(d.getStatus().getObservedGeneration()).isEqualTo(d.getMetadata().getGeneration());
            assertThat(condition(d, "Progressing").getStatus()).isEqualTo("Unknown");
            assertThat(condition(d, "Progressing").getReason()).isEqualTo("DeploymentPaused");
        });
        assertThat(replicaSets(ns)).singleElement().satisfies(rs -> assertThat(rs.getSpec().getReplicas()).isEqualTo(2));
        assertThat(cluster.pods(ns)).hasSize(2).allSatisfy(pod -> assertThat(imageOf(pod)).isEqualTo("busybox:1.35"));
        assertThat(get(ns, "api").getMetadata().getAnnotations()).containsEntry("deployment.kubernetes.io/revision", "1");

        edit(ns, "api", d -> new DeploymentBuilder(d).editSpec().withPaused(false).endSpec().build());
        await().atMost(ROLLOUT).untilAsserted(() -> {
            cluster.markPodsReady(ns);
            Deployment d = get(ns, "api");
            assertThat(d.getMetadata().getAnnotations()).containsEntry("deployment.kubernetes.io/revision", "2");
            assertThat(condition(d, "Progressing").getReason()).isEqualTo("NewReplicaSetAvailable");
            assertThat(cluster.pods(ns)).hasSize(2).allSatisfy(pod -> assertThat(imageOf(pod)).isEqualTo("busybox:1.36"));
        });
    }

    @Test
    void revisionHistoryLimitDeletesTheOldestScaledDownReplicaSets() {
        String ns = cluster.namespace("history");
        Deployment limited = new DeploymentBuilder(deployment(ns, "app", 1, "busybox:1.35"))
                .editSpec().withRevisionHistoryLimit(1).endSpec().build();
        admin.apps().deployments().inNamespace(ns).resource(limited).create();
        for (String image : List.of("busybox:1.35", "busybox:1.36", "busybox:1.37")) {
            edit(ns, "app", image(image));
            await().atMost(ROLLOUT).untilAsserted(() -> {
                cluster.markPodsReady(ns);
                Deployment d = get(ns, "app");
                assertThat(d.getStatus().getObservedGeneration()).isEqualTo(d.getMetadata().getGeneration());
                assertThat(condition(d, "Progressing").getReason()).isEqualTo("NewReplicaSetAvailable");
                assertThat(cluster.pods(ns)).singleElement().satisfies(pod -> assertThat(imageOf(pod)).isEqualTo(image));
            });
        }

        // revisions 1 (1.35) and 2 (1.36) are scaled down; with a limit of 1 only the newest of them stays
        await().atMost(ROLLOUT).untilAsserted(() -> {
            List<ReplicaSet> sets = replicaSets(ns);
            assertThat(sets).hasSize(2);
            assertThat(atRevision(sets, "3").getSpec().getReplicas()).isEqualTo(1);
            ReplicaSet kept = atRevision(sets, "2");
            assertThat(kept.getSpec().getReplicas()).isZero();
            assertThat(kept.getSpec().getTemplate().getSpec().getContainers().getFirst().getImage()).isEqualTo("busybox:1.36");
        });
    }

    @Test
    void garbageCollectorDeletesAReplicaSetWhoseDeploymentIsGone() {
        String ns = cluster.namespace("orphaned");
        ReplicaSet orphaned = new ReplicaSetBuilder().withNewMetadata().withName("stray").withNamespace(ns)
                .addNewOwnerReference().withApiVersion("apps/v1").withKind("Deployment").withName("gone")
                .withUid("00000000-0000-0000-0000-000000000001").withController(true).endOwnerReference()
                .endMetadata()
                .withNewSpec().withReplicas(0).withNewSelector().addToMatchLabels("app", "stray").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "stray").endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("busybox:1.35").endContainer().endSpec().endTemplate()
                .endSpec().build();
        admin.apps().replicaSets().inNamespace(ns).resource(orphaned).create();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(admin.apps().replicaSets().inNamespace(ns).withName("stray").get()).isNull());
    }

    private static Deployment get(String ns, String name) {
        return admin.apps().deployments().inNamespace(ns).withName(name).get();
    }

    /** Edits as a user would, retrying when the controllers wrote the object in between (409). */
    private static void edit(String ns, String name, UnaryOperator<Deployment> change) {
        await().atMost(Duration.ofSeconds(5)).ignoreExceptionsInstanceOf(KubernetesClientException.class).until(() -> {
            admin.apps().deployments().inNamespace(ns).withName(name).edit(change);
            return true;
        });
    }

    private static UnaryOperator<Deployment> image(String image) {
        return d -> new DeploymentBuilder(d).editSpec().editTemplate().editSpec().editFirstContainer().withImage(image).endContainer()
                .endSpec().endTemplate().endSpec().build();
    }

    private static String imageOf(Pod pod) {
        return pod.getSpec().getContainers().getFirst().getImage();
    }

    private static List<ReplicaSet> replicaSets(String ns) {
        return admin.apps().replicaSets().inNamespace(ns).list().getItems();
    }

    private static ReplicaSet atRevision(List<ReplicaSet> sets, String revision) {
        return sets.stream().filter(rs -> revision.equals(rs.getMetadata().getAnnotations().get("deployment.kubernetes.io/revision")))
                .findFirst().orElseThrow(() -> new AssertionError("no replica set at revision " + revision));
    }

    private static DeploymentCondition condition(Deployment d, String type) {
        return d.getStatus().getConditions().stream().filter(c -> c.getType().equals(type)).findFirst()
                .orElseThrow(() -> new AssertionError("no condition " + type + " in " + d.getStatus().getConditions()));
    }

    private static Deployment deployment(String ns, String name, int replicas, String image) {
        return new DeploymentBuilder().withNewMetadata().withName(name).withNamespace(ns).endMetadata()
                .withNewSpec().withReplicas(replicas)
                .withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage(image).endContainer().endSpec()
                .endTemplate().endSpec().build();
    }
}
