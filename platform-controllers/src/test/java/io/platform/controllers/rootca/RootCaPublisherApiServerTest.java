package io.platform.controllers.rootca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.platform.api.pki.CertificateAuthority;
import io.platform.controllers.RunningControllers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The root CA publisher against the real API server: {@code kube-root-ca.crt} holds the cluster CA, and comes back when deleted or changed. */
class RootCaPublisherApiServerTest {

    private static RunningControllers cluster;
    private static KubernetesClient admin;
    private static String clusterCa;

    @BeforeAll
    static void start() {
        cluster = RunningControllers.start();
        admin = cluster.admin();
        // the CA in the admin's kubeconfig: the one every client of this cluster trusts
        clusterCa = new String(Base64.getDecoder().decode(admin.getConfiguration().getCaCertData()), StandardCharsets.UTF_8);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void aNewNamespaceGetsTheClusterCa() {
        String ns = cluster.namespace("root-ca");
        ConfigMap published = await().atMost(Duration.ofSeconds(10))
                .until(() -> admin.configMaps().inNamespace(ns).withName("kube-root-ca.crt").get(), cm -> cm != null);
        assertThat(published.getData()).containsOnlyKeys("ca.crt");
        assertThat(published.getData().get("ca.crt").strip()).isEqualTo(clusterCa.strip()).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(published.getMetadata().getAnnotations()).containsEntry("kubernetes.io/description", RootCaPublisher.DESCRIPTION);
    }

    @Test
    void aDeletedConfigMapIsCreatedAgainAndAChangedOneRepaired() {
        String ns = cluster.namespace("root-ca-repair");
        ConfigMap first = await().atMost(Duration.ofSeconds(10))
                .until(() -> admin.configMaps().inNamespace(ns).withName("kube-root-ca.crt").get(), cm -> cm != null);

        admin.configMaps().inNamespace(ns).withName("kube-root-ca.crt").delete();
        ConfigMap recreated = await().atMost(Duration.ofSeconds(10))
                .until(() -> admin.configMaps().inNamespace(ns).withName("kube-root-ca.crt").get(),
                        cm -> cm != null && !cm.getMetadata().getUid().equals(first.getMetadata().getUid()));
        assertThat(recreated.getData().get("ca.crt").strip()).isEqualTo(clusterCa.strip());

        admin.configMaps().inNamespace(ns).withName("kube-root-ca.crt").edit(cm -> new ConfigMapBuilder(cm)
                .withData(Map.of("ca.crt", "not a certificate", "extra", "x")).build());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            ConfigMap repaired = admin.configMaps().inNamespace(ns).withName("kube-root-ca.crt").get();
            assertThat(repaired.getData()).containsOnlyKeys("ca.crt");
            assertThat(repaired.getData().get("ca.crt").strip()).isEqualTo(clusterCa.strip());
        });
    }

    @Test
    void aRotatedCaInTheKubeconfigIsPublished() throws Exception {
        String ns = cluster.namespace("root-ca-rotated");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> admin.configMaps().inNamespace(ns).withName("kube-root-ca.crt").get(), cm -> cm != null);
        Path kubeconfig = cluster.server().pki().controllerManagerKubeconfig();
        String original = Files.readString(kubeconfig);
        String next = CertificateAuthority.create(Clock.systemUTC(), "rotated-ca").certificatePem();
        String bundle = clusterCa.strip() + "\n" + next;
        String rotated = original.replaceFirst("certificate-authority-data: \\S+", "certificate-authority-data: "
                + Base64.getEncoder().encodeToString(bundle.getBytes(StandardCharsets.UTF_8)));
        assertThat(rotated).isNotEqualTo(original);
        try {
            Files.writeString(kubeconfig, rotated);
            // any event of the namespace reconciles it (the informers' resync does the same for every namespace)
            admin.namespaces().withName(ns).edit(n -> new NamespaceBuilder(n).editMetadata()
                    .addToLabels("touched", "yes").endMetadata().build());
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                    admin.configMaps().inNamespace(ns).withName("kube-root-ca.crt").get().getData().get("ca.crt"))
                    .contains(clusterCa.strip()).contains(next.strip()));
        } finally {
            Files.writeString(kubeconfig, original);
        }
    }
}
