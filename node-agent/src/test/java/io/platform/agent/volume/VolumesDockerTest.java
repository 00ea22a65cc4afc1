package io.platform.agent.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.platform.agent.testing.AgentCluster;
import io.platform.agent.testing.RequiresDockerEngine;
import io.platform.common.client.KubeconfigClients;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Volumes of pods the agent runs on the real Docker engine: emptyDirs (one of them a tmpfs) shared by two containers, a hostPath made by
 * {@code DirectoryOrCreate}, a ConfigMap update reaching the mounted file, and a local-path claim whose data outlives
 * the pod that wrote it. The controllers do not run here: the test binds the claim to its volume as the local-path
 * provisioner does.
 */
@RequiresDockerEngine
class VolumesDockerTest {

    private static final String NS = "default";
    private static AgentCluster cluster;
    private static KubernetesClient client;

    @BeforeAll
    static void start() {
        cluster = AgentCluster.start("volumes-node", Map.of("platform.agent.runtime", "docker"));
        client = cluster.client();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void anEmptyDirIsSharedAHostPathIsMadeAndAConfigMapUpdateReachesTheMountedFile() throws Exception {
        Path hostDir = cluster.rootDir().resolveSibling("host-volumes").resolve("made/here");
        client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withName("cfg").endMetadata()
                .addToData("key", "first-value").build()).create();
        client.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName("sharing").endMetadata().withNewSpec()
                .withNodeName(cluster.nodeName())
                .addToContainers(new ContainerBuilder().withName("writer").withImage("busybox:1.35")
                        .withCommand("sh", "-c", "echo hello-from-writer > /scratch/msg; echo in-memory > /mem/m; echo on-host > /host/from-pod; exec sleep 3600")
                        .addNewVolumeMount().withName("scratch").withMountPath("/scratch").endVolumeMount()
                        .addNewVolumeMount().withName("host").withMountPath("/host").endVolumeMount()
                        .addNewVolumeMount().withName("mem").withMountPath("/mem").endVolumeMount()
                        .build())
                .addToContainers(new ContainerBuilder().withName("reader").withImage("busybox:1.35")
                        .withCommand("sh", "-c", "while true; do cat /shared/msg /mem/m; grep ' /mem ' /proc/mounts | cut -d' ' -f3; "
                                + "cat /etc/cfg/key; echo; "
                                + "touch /etc/cfg/x 2>/dev/null || echo cfg-is-read-only; sleep 1; done")
                        .addNewVolumeMount().withName("scratch").withMountPath("/shared").endVolumeMount()
                        .addNewVolumeMount().withName("cfg").withMountPath("/etc/cfg").endVolumeMount()
                        .addNewVolumeMount().withName("mem").withMountPath("/mem").endVolumeMount()
                        .build())
                .addNewVolume().withName("scratch").withNewEmptyDir().endEmptyDir().endVolume()
                .addNewVolume().withName("mem").withNewEmptyDir().withMedium("Memory").withSizeLimit(new Quantity("8Mi"))
                .endEmptyDir().endVolume()
                .addNewVolume().withName("host").withNewHostPath().withPath(hostDir.toString()).withType("DirectoryOrCreate")
                .endHostPath().endVolume()
                .addNewVolume().withName("cfg").withNewConfigMap().withName("cfg").endConfigMap().endVolume()
                .endSpec().build()).create();

        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> assertThat(log("sharing", "reader"))
                .contains("hello-from-writer").contains("first-value").contains("cfg-is-read-only").contains("in-memory"));
        // as root the Memory medium is one tmpfs on the host, bound into both containers
        if (EmptyDirs.root()) {
            assertThat(log("sharing", "reader")).contains("tmpfs");
        }
        assertThat(Files.readString(hostDir.resolve("from-pod"))).isEqualTo("on-host\n");

        client.configMaps().inNamespace(NS).withName("cfg").edit(cm -> new ConfigMapBuilder(cm).addToData("key", "second-value").build());
        // within the agent's resync (10 s) plus a read
        await().atMost(Duration.ofSeconds(40)).ignoreExceptions()
                .untilAsserted(() -> assertThat(log("sharing", "reader")).contains("second-value"));

        String uid = client.pods().inNamespace(NS).withName("sharing").get().getMetadata().getUid();
        client.pods().inNamespace(NS).withName("sharing").withGracePeriod(0).delete();
        await().atMost(Duration.ofSeconds(60)).until(() -> !Files.exists(cluster.rootDir().resolve("pods").resolve(uid)));
        assertThat(hostDir.resolve("from-pod")).exists();
    }

    @Test
    void aPodWhoseEmptyDirOutgrowsItsSizeLimitIsEvicted() {
        client.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName("hoarder").endMetadata().withNewSpec()
                .withNodeName(cluster.nodeName())
                .addToContainers(new ContainerBuilder().withName("app").withImage("busybox:1.35")
                        .withCommand("sh", "-c", "head -c 3145728 /dev/zero > /scratch/big; exec sleep 3600")
                        .addNewVolumeMount().withName("scratch").withMountPath("/scratch").endVolumeMount()
                        .build())
                .addNewVolume().withName("scratch").withNewEmptyDir().withSizeLimit(new Quantity("1Mi")).endEmptyDir().endVolume()
                .endSpec().build()).create();

        Pod evicted = await().atMost(Duration.ofSeconds(60)).until(() -> client.pods().inNamespace(NS).withName("hoarder").get(),
                pod -> pod != null && "Failed".equals(pod.getStatus().getPhase()));
        assertThat(evicted.getStatus().getReason()).isEqualTo("Evicted");
        assertThat(evicted.getStatus().getMessage()).isEqualTo("Usage of EmptyDir volume \"scratch\" exceeds the limit \"1Mi\".");
        assertThat(evicted.getStatus().getConditions()).anySatisfy(condition -> {
            assertThat(condition.getType()).isEqualTo("DisruptionTarget");
            assertThat(condition.getReason()).isEqualTo("TerminationByKubelet");
        });
        assertThat(evicted.getStatus().getContainerStatuses().getFirst().getState().getTerminated()).isNotNull();
    }

    @Test
    void aLocalPathClaimKeepsWhatOnePodWroteForTheNext() throws Exception {
        PersistentVolumeClaim claim = client.persistentVolumeClaims().inNamespace(NS).resource(new PersistentVolumeClaimBuilder()
                .withNewMetadata().withName("data").endMetadata().withNewSpec().withStorageClassName("local-path")
                .withAccessModes("ReadWriteOnce").withNewResources().addToRequests("storage", new Quantity("1Gi")).endResources()
                .endSpec().build()).create();
        // as the local-path provisioner and binder do (they run in the controller manager, not here)
        String volumeName = "pvc-" + claim.getMetadata().getUid();
        Path dir = cluster.rootDir().resolve("local-path").resolve(NS + "_data_" + volumeName);
        client.persistentVolumes().resource(new PersistentVolumeBuilder().withNewMetadata().withName(volumeName)
                .addToAnnotations("pv.kubernetes.io/provisioned-by", "platform.io/local-path").endMetadata().withNewSpec()
                .addToCapacity("storage", new Quantity("1Gi")).withAccessModes("ReadWriteOnce").withStorageClassName("local-path")
                .withPersistentVolumeReclaimPolicy("Delete")
                .withNewHostPath().withPath(dir.toString()).withType("DirectoryOrCreate").endHostPath()
                .withClaimRef(new ObjectReferenceBuilder().withKind("PersistentVolumeClaim").withNamespace(NS).withName("data")
                        .withUid(claim.getMetadata().getUid()).build())
                .endSpec().build()).create();
        claim = client.persistentVolumeClaims().inNamespace(NS).withName("data")
                .edit(c -> new PersistentVolumeClaimBuilder(c).editSpec().withVolumeName(volumeName).endSpec().build());
        claim.setStatus(new PersistentVolumeClaimStatusBuilder().withPhase("Bound").build());
        client.persistentVolumeClaims().inNamespace(NS).resource(claim).updateStatus();

        client.pods().inNamespace(NS).resource(claimPod("first", "echo persisted-data > /data/file; exec sleep 3600")).create();
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(dir.resolve("file")));
        client.pods().inNamespace(NS).withName("first").withGracePeriod(0).delete();
        await().atMost(Duration.ofSeconds(60)).until(() -> client.pods().inNamespace(NS).withName("first").get() == null);

        client.pods().inNamespace(NS).resource(claimPod("second", "while true; do cat /data/file; sleep 1; done")).create();
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                .untilAsserted(() -> assertThat(log("second", "app")).contains("persisted-data"));

        // reclaim Delete: the controller deletes the volume, the node removes its directory on its sweep
        client.pods().inNamespace(NS).withName("second").withGracePeriod(0).delete();
        client.persistentVolumeClaims().inNamespace(NS).withName("data").delete();
        client.persistentVolumes().withName(volumeName).delete();
        await().atMost(Duration.ofSeconds(10)).until(() -> client.persistentVolumes().withName(volumeName).get() == null);
        try (KubernetesClient node = KubeconfigClients.fromFile(cluster.server().pki().nodeAgentKubeconfig())) {
            new PodVolumes(node, cluster.rootDir(), Clock.systemUTC()).removeReleasedLocalPaths();
        }
        assertThat(dir).doesNotExist();
    }

    private static Pod claimPod(String name, String script) {
        return new PodBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec().withNodeName(cluster.nodeName())
                .addToContainers(new ContainerBuilder().withName("app").withImage("busybox:1.35").withCommand("sh", "-c", script)
                        .addNewVolumeMount().withName("data").withMountPath("/data").endVolumeMount().build())
                .addNewVolume().withName("data").withNewPersistentVolumeClaim().withClaimName("data").endPersistentVolumeClaim().endVolume()
                .endSpec().build();
    }

    private static String log(String pod, String container) {
        return client.pods().inNamespace(NS).withName(pod).inContainer(container).getLog();
    }
}
