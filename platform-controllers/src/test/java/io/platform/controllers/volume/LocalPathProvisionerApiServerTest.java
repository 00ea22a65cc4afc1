package io.platform.controllers.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.platform.controllers.RunningControllers;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The local-path StorageClass, provisioner and binder against the real API server, under the controller manager's
 * identity: a claim without a class gets {@code local-path}, waits for its first pod, then gets a volume on that pod's
 * node and is bound; deleting it deletes the volume. A static volume binds to a matching claim and is Released (kept)
 * after it.
 */
class LocalPathProvisionerApiServerTest {

    private static final String NODE = "node-a";
    private static RunningControllers cluster;
    private static KubernetesClient admin;

    @BeforeAll
    static void start() {
        cluster = RunningControllers.start();
        admin = cluster.admin();
        // what the node agent publishes on its Node
        admin.nodes().resource(new NodeBuilder().withNewMetadata().withName(NODE)
                .addToAnnotations(LocalPathProvisioner.ROOT_ANNOTATION, "/srv/agent/local-path").endMetadata().build())
                .createOr(NonDeletingOperation::update);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void theDefaultClassIsCreatedAndComesBackWhenDeleted() {
        StorageClass created = await().atMost(Duration.ofSeconds(10))
                .until(() -> admin.storage().v1().storageClasses().withName("local-path").get(), c -> c != null);
        assertThat(created.getMetadata().getAnnotations()).containsEntry("storageclass.kubernetes.io/is-default-class", "true");
        assertThat(created.getProvisioner()).isEqualTo("platform.io/local-path");
        assertThat(created.getVolumeBindingMode()).isEqualTo("WaitForFirstConsumer");
        assertThat(created.getReclaimPolicy()).isEqualTo("Delete");

        admin.storage().v1().storageClasses().withName("local-path").delete();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            StorageClass again = admin.storage().v1().storageClasses().withName("local-path").get();
            return again != null && !again.getMetadata().getUid().equals(created.getMetadata().getUid());
        });
    }

    @Test
    void aClaimIsProvisionedOnItsFirstPodsNodeBoundAndItsVolumeDeletedWithIt() {
        String ns = cluster.namespace("local-path");
        await().atMost(Duration.ofSeconds(10)).until(() -> admin.storage().v1().storageClasses().withName("local-path").get() != null);
        PersistentVolumeClaim claim = admin.persistentVolumeClaims().inNamespace(ns).resource(claim("data", null)).create();
        assertThat(claim.getSpec().getStorageClassName()).isEqualTo("local-path");
        String volumeName = "pvc-" + claim.getMetadata().getUid();

        // WaitForFirstConsumer: nothing until a pod using it is on a node
        await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(2))
                .until(() -> admin.persistentVolumes().withName(volumeName).get() == null);
        admin.pods().inNamespace(ns).resource(new PodBuilder().withNewMetadata().withName("user").endMetadata().withNewSpec()
                .withNodeName(NODE).addNewContainer().withName("app").withImage("busybox").endContainer()
                .addNewVolume().withName("data").withNewPersistentVolumeClaim().withClaimName("data").endPersistentVolumeClaim().endVolume()
                .endSpec().build()).create();

        PersistentVolumeClaim bound = await().atMost(Duration.ofSeconds(10)).until(
                () -> admin.persistentVolumeClaims().inNamespace(ns).withName("data").get(),
                c -> c.getStatus() != null && "Bound".equals(c.getStatus().getPhase()));
        assertThat(bound.getSpec().getVolumeName()).isEqualTo(volumeName);
        assertThat(bound.getMetadata().getAnnotations()).containsEntry("pv.kubernetes.io/bind-completed", "yes")
                .containsEntry("pv.kubernetes.io/bound-by-controller", "yes");
        assertThat(bound.getStatus().getCapacity()).containsEntry("storage", new Quantity("1Gi"));
        PersistentVolume volume = await().atMost(Duration.ofSeconds(10)).until(() -> admin.persistentVolumes().withName(volumeName).get(),
                v -> v.getStatus() != null && "Bound".equals(v.getStatus().getPhase()));
        assertThat(volume.getSpec().getHostPath().getPath()).isEqualTo("/srv/agent/local-path/" + ns + "_data_" + volumeName);
        assertThat(volume.getSpec().getHostPath().getType()).isEqualTo("DirectoryOrCreate");
        assertThat(volume.getSpec().getClaimRef().getUid()).isEqualTo(claim.getMetadata().getUid());
        assertThat(volume.getSpec().getPersistentVolumeReclaimPolicy()).isEqualTo("Delete");
        assertThat(volume.getSpec().getNodeAffinity().getRequired().getNodeSelectorTerms().getFirst().getMatchExpressions().getFirst()
                .getValues()).containsExactly(NODE);
        assertThat(volume.getMetadata().getAnnotations()).containsEntry("pv.kubernetes.io/provisioned-by", "platform.io/local-path");

        admin.pods().inNamespace(ns).withName("user").withGracePeriod(0).delete();
        admin.persistentVolumeClaims().inNamespace(ns).withName("data").delete();
        await().atMost(Duration.ofSeconds(10)).until(() -> admin.persistentVolumes().withName(volumeName).get() == null);
    }

    @Test
    void aStaticVolumeBindsToAMatchingClaimAndIsReleasedAfterIt() {
        String ns = cluster.namespace("static");
        admin.persistentVolumes().resource(new PersistentVolumeBuilder().withNewMetadata().withName("small").endMetadata()
                .withNewSpec().addToCapacity("storage", new Quantity("100Mi")).withAccessModes("ReadWriteOnce")
                .withStorageClassName("manual").withPersistentVolumeReclaimPolicy("Retain")
                .withNewHostPath().withPath("/srv/small").endHostPath().endSpec().build()).create();
        admin.persistentVolumes().resource(new PersistentVolumeBuilder().withNewMetadata().withName("large").endMetadata()
                .withNewSpec().addToCapacity("storage", new Quantity("5Gi")).withAccessModes("ReadWriteOnce")
                .withStorageClassName("manual").withPersistentVolumeReclaimPolicy("Retain")
                .withNewHostPath().withPath("/srv/large").endHostPath().endSpec().build()).create();

        admin.persistentVolumeClaims().inNamespace(ns).resource(claim("wants-1gi", "manual")).create();

        PersistentVolumeClaim bound = await().atMost(Duration.ofSeconds(10)).until(
                () -> admin.persistentVolumeClaims().inNamespace(ns).withName("wants-1gi").get(),
                c -> c.getStatus() != null && "Bound".equals(c.getStatus().getPhase()));
        assertThat(bound.getSpec().getVolumeName()).isEqualTo("large");
        assertThat(bound.getStatus().getCapacity()).containsEntry("storage", new Quantity("5Gi"));
        PersistentVolume large = await().atMost(Duration.ofSeconds(10)).until(() -> admin.persistentVolumes().withName("large").get(),
                v -> v.getStatus() != null && "Bound".equals(v.getStatus().getPhase()));
        assertThat(large.getMetadata().getAnnotations()).containsEntry("pv.kubernetes.io/bound-by-controller", "yes");
        assertThat(admin.persistentVolumes().withName("small").get().getSpec().getClaimRef()).isNull();

        admin.persistentVolumeClaims().inNamespace(ns).withName("wants-1gi").delete();
        await().atMost(Duration.ofSeconds(10)).until(() -> "Released".equals(admin.persistentVolumes().withName("large").get().getStatus().getPhase()));
    }

    private static PersistentVolumeClaim claim(String name, String storageClass) {
        return new PersistentVolumeClaimBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec()
                .withStorageClassName(storageClass).withAccessModes("ReadWriteOnce")
                .withNewResources().addToRequests("storage", new Quantity("1Gi")).endResources().endSpec().build();
    }
}
