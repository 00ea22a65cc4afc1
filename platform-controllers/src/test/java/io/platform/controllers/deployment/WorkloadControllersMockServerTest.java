package io.platform.controllers.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.platform.controllers.ControllerManager;
import io.platform.controllers.ControllersProperties;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Deployment, ReplicaSet and garbage collector controllers end to end against fabric8's CRUD mock API. */
@EnableKubernetesMockClient(crud = true)
class WorkloadControllersMockServerTest {

    static KubernetesClient client;

    private ControllerManager manager;

    @BeforeEach
    void start() {
        manager = new ControllerManager(client, new ControllersProperties(Path.of("unused"), 2, 2, 1,
                Duration.ofMinutes(10), Duration.ofMillis(5), Duration.ofSeconds(1), Duration.ofMinutes(5)), Clock.systemUTC());
        manager.start();
        await().atMost(Duration.ofSeconds(10)).until(manager::hasSynced);
    }

    @AfterEach
    void stop() {
        manager.close();
    }

    @Test
    void deploymentRollsOutScalesUpdatesAndIsCollected() {
        client.apps().deployments().inNamespace("default").resource(deployment("web", 2, "busybox:1.35")).create();

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            markPodsReady();
            List<ReplicaSet> sets = replicaSets("web");
            assertThat(sets).hasSize(1);
            ReplicaSet rs = sets.getFirst();
            String hash = rs.getMetadata().getLabels().get("pod-template-hash");
            assertThat(hash).isNotBlank();
            assertThat(rs.getMetadata().getName()).isEqualTo("web-" + hash);
            assertThat(rs.getMetadata().getAnnotations()).containsEntry("deployment.kubernetes.io/revision", "1")
                    .containsEntry("deployment.kubernetes.io/desired-replicas", "2")
                    .containsEntry("deployment.kubernetes.io/max-replicas", "3");
            assertThat(rs.getSpec().getSelector().getMatchLabels()).containsEntry("pod-template-hash", hash);
            List<Pod> pods = pods();
            assertThat(pods).hasSize(2).allSatisfy(pod -> {
                // the random suffix is the API server's (generateName); the mock's suffix differs from upstream's 5 characters
                assertThat(pod.getMetadata().getGenerateName()).isEqualTo("web-" + hash + "-");
                assertThat(pod.getMetadata().getName()).startsWith("web-" + hash + "-");
                assertThat(pod.getMetadata().getLabels()).containsEntry("app", "web").containsEntry("pod-template-hash", hash);
                assertThat(pod.getMetadata().getOwnerReferences()).singleElement().satisfies(ref -> {
                    assertThat(ref.getKind()).isEqualTo("ReplicaSet");
                    assertThat(ref.getUid()).isEqualTo(rs.getMetadata().getUid());
                    assertThat(ref.getController()).isTrue();
                    assertThat(ref.getBlockOwnerDeletion()).isTrue();
                });
            });
            Deployment d = client.apps().deployments().inNamespace("default").withName("web").get();
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

        scale("web", 3);
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            markPodsReady();
            assertThat(pods()).hasSize(3);
            assertThat(client.apps().deployments().inNamespace("default").withName("web").get().getStatus().getAvailableReplicas()).isEqualTo(3);
        });

        scale("web", 1);
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(pods()).hasSize(1);
            assertThat(replicaSets("web").getFirst().getSpec().getReplicas()).isEqualTo(1);
        });

        editDeployment("web", d -> new DeploymentBuilder(d)
                .editSpec().editTemplate().editSpec().editFirstContainer().withImage("busybox:1.36").endContainer().endSpec()
                .endTemplate().endSpec().build());
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            markPodsReady();
            List<ReplicaSet> sets = replicaSets("web");
            assertThat(sets).hasSize(2);
            ReplicaSet newRS = sets.stream().filter(rs -> "2".equals(rs.getMetadata().getAnnotations().get("deployment.kubernetes.io/revision")))
                    .findFirst().orElseThrow();
            ReplicaSet oldRS = sets.stream().filter(rs -> rs != newRS).findFirst().orElseThrow();
            assertThat(newRS.getSpec().getTemplate().getSpec().getContainers().getFirst().getImage()).isEqualTo("busybox:1.36");
            assertThat(newRS.getSpec().getReplicas()).isEqualTo(1);
            assertThat(oldRS.getSpec().getReplicas()).isZero();
            assertThat(pods()).hasSize(1).allSatisfy(pod -> assertThat(pod.getSpec().getContainers().getFirst().getImage()).isEqualTo("busybox:1.36"));
            Deployment d = client.apps().deployments().inNamespace("default").withName("web").get();
            assertThat(d.getMetadata().getAnnotations()).containsEntry("deployment.kubernetes.io/revision", "2");
            assertThat(d.getStatus().getUpdatedReplicas()).isEqualTo(1);
            assertThat(condition(d, "Progressing").getReason()).isEqualTo("NewReplicaSetAvailable");
        });

        client.apps().deployments().inNamespace("default").withName("web").delete();
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(client.apps().replicaSets().inNamespace("default").list().getItems()).isEmpty();
            assertThat(pods()).isEmpty();
        });
    }

    @Test
    void garbageCollectorDeletesAReplicaSetWhoseDeploymentIsGone() {
        ReplicaSet orphaned = new ReplicaSetBuilder().withNewMetadata().withName("stray").withNamespace("default")
                .addNewOwnerReference().withApiVersion("apps/v1").withKind("Deployment").withName("gone")
                .withUid("00000000-0000-0000-0000-000000000001").withController(true).endOwnerReference()
                .endMetadata()
                .withNewSpec().withReplicas(0).withNewSelector().addToMatchLabels("app", "stray").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "stray").endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("busybox:1.35").endContainer().endSpec().endTemplate()
                .endSpec().build();
        client.apps().replicaSets().inNamespace("default").resource(orphaned).create();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(client.apps().replicaSets().inNamespace("default").withName("stray").get()).isNull());
    }

    private static void scale(String name, int replicas) {
        editDeployment(name, d -> new DeploymentBuilder(d).editSpec().withReplicas(replicas).endSpec().build());
    }

    /** Edits as a user would, retrying when the controllers wrote the object in between (409). */
    private static void editDeployment(String name, UnaryOperator<Deployment> change) {
        await().atMost(Duration.ofSeconds(5)).ignoreExceptionsInstanceOf(KubernetesClientException.class).until(() -> {
            client.apps().deployments().inNamespace("default").withName(name).edit(change);
            return true;
        });
    }

    /** Plays the node agent: every pod becomes Running and Ready. */
    private static void markPodsReady() {
        for (Pod pod : pods()) {
            boolean ready = pod.getStatus() != null && pod.getStatus().getConditions() != null
                    && pod.getStatus().getConditions().stream().anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
            if (!ready) {
                Pod running = new PodBuilder(pod).withNewStatus().withPhase("Running")
                        .addNewCondition().withType("Ready").withStatus("True").withLastTransitionTime(Instant.now().toString()).endCondition()
                        .endStatus().build();
                client.pods().inNamespace("default").resource(running).subresource("status").update();
            }
        }
    }

    private static List<Pod> pods() {
        return client.pods().inNamespace("default").list().getItems().stream()
                .filter(pod -> pod.getMetadata().getDeletionTimestamp() == null).toList();
    }

    private static List<ReplicaSet> replicaSets(String deployment) {
        return client.apps().replicaSets().inNamespace("default").list().getItems().stream()
                .filter(rs -> rs.getMetadata().getName().startsWith(deployment + "-")).toList();
    }

    private static DeploymentCondition condition(Deployment d, String type) {
        return d.getStatus().getConditions().stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
    }

    private static Deployment deployment(String name, int replicas, String image) {
        return new DeploymentBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata()
                .withNewSpec().withReplicas(replicas)
                .withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage(image).endContainer().endSpec()
                .endTemplate().endSpec().build();
    }
}
