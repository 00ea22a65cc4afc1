package io.platform.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.platform.api.pki.CertificateAuthority;
import io.platform.api.pki.Kubeconfig;
import io.platform.common.client.KubeconfigClients;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fabric8 client, which all our components use, against the API server: CRUD, informers, scale, binding. */
class Fabric8ClientTest extends ApiServerTestSupport {

    private KubernetesClient client;

    @BeforeEach
    void connect() throws IOException {
        CertificateAuthority ca = CertificateAuthority.loadOrCreate(DATA_DIR.resolve("pki"));
        Path kubeconfig = Files.createTempFile(DATA_DIR, "fabric8", ".kubeconfig");
        Files.writeString(kubeconfig, Kubeconfig.render("https://127.0.0.1:" + port, ca.certificatePem(), "admin",
                ca.issueClient("admin", List.of("system:masters"))));
        client = KubeconfigClients.fromFile(kubeconfig);
    }

    @AfterEach
    void close() {
        client.close();
    }

    @Test
    void informerSeesAddsUpdatesAndDeletes() {
        String ns = newNamespace();
        client.configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata().withName("before")
                .endMetadata().addToData("a", "1").build()).create();
        List<String> seen = new CopyOnWriteArrayList<>();
        SharedIndexInformer<ConfigMap> informer = client.configMaps().inNamespace(ns).inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(ConfigMap obj) {
                seen.add("add " + obj.getMetadata().getName());
            }

            @Override
            public void onUpdate(ConfigMap oldObj, ConfigMap newObj) {
                seen.add("update " + newObj.getMetadata().getName() + " " + newObj.getData().get("a"));
            }

            @Override
            public void onDelete(ConfigMap obj, boolean deletedFinalStateUnknown) {
                seen.add("delete " + obj.getMetadata().getName());
            }
        });
        try {
            await().atMost(Duration.ofSeconds(10)).until(informer::hasSynced);
            client.configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata().withName("after")
                    .endMetadata().addToData("a", "1").build()).create();
            client.configMaps().inNamespace(ns).withName("before").edit(cm -> {
                cm.getData().put("a", "2");
                return cm;
            });
            client.configMaps().inNamespace(ns).withName("after").delete();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(seen)
                    .containsExactly("add before", "add after", "update before 2", "delete after"));
        } finally {
            informer.close();
        }
    }

    @Test
    void deploymentScaleBindingLeaseAndStatus() {
        String ns = newNamespace();
        Deployment deployment = client.apps().deployments().inNamespace(ns).resource(new DeploymentBuilder()
                .withNewMetadata().withName("web").endMetadata()
                .withNewSpec().withReplicas(1).withNewSelector().addToMatchLabels("app", "web").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata()
                .withNewSpec().addNewContainer().withName("web").withImage("busybox:1.35").endContainer().endSpec()
                .endTemplate().endSpec().build()).create();
        assertThat(deployment.getMetadata().getGeneration()).isEqualTo(1L);
        client.apps().deployments().inNamespace(ns).withName("web").scale(3);
        assertThat(client.apps().deployments().inNamespace(ns).withName("web").get().getSpec().getReplicas()).isEqualTo(3);

        Deployment current = client.apps().deployments().inNamespace(ns).withName("web").get();
        current.setStatus(new io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder().withReplicas(3)
                .withObservedGeneration(current.getMetadata().getGeneration()).build());
        Deployment updated = client.apps().deployments().inNamespace(ns).resource(current).updateStatus();
        assertThat(updated.getStatus().getReplicas()).isEqualTo(3);

        client.pods().inNamespace(ns).resource(new PodBuilder().withNewMetadata().withName("p").endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("busybox:1.35").endContainer().endSpec()
                .build()).create();
        Binding binding = new BindingBuilder().withNewMetadata().withName("p").withNamespace(ns).endMetadata()
                .withNewTarget().withKind("Node").withApiVersion("v1").withName("node-1").endTarget().build();
        client.bindings().inNamespace(ns).resource(binding).create();
        Pod pod = client.pods().inNamespace(ns).withName("p").get();
        assertThat(pod.getSpec().getNodeName()).isEqualTo("node-1");
        Assertions.assertThatThrownBy(() -> client.bindings().inNamespace(ns).resource(binding).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));

        Lease lease = client.leases().inNamespace(ns).resource(new LeaseBuilder().withNewMetadata().withName("leader")
                .endMetadata().withNewSpec().withHolderIdentity("a").withLeaseDurationSeconds(15).endSpec().build()).create();
        lease.getSpec().setHolderIdentity("b");
        assertThat(client.leases().inNamespace(ns).resource(lease).update().getSpec().getHolderIdentity()).isEqualTo("b");
        lease.getSpec().setHolderIdentity("c");
        Assertions.assertThatThrownBy(() -> client.leases().inNamespace(ns).resource(lease).update())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));

        assertThat(client.pods().inNamespace(ns).withLabels(Map.of()).list().getItems()).hasSize(1);
        client.pods().inNamespace(ns).withName("p").delete();
        assertThat(client.pods().inNamespace(ns).withName("p").get().getMetadata().getDeletionTimestamp()).isNotNull();
        client.pods().inNamespace(ns).withName("p").withGracePeriod(0).delete();
        await().atMost(Duration.ofSeconds(5)).until(() -> client.pods().inNamespace(ns).withName("p").get() == null);
    }
}
