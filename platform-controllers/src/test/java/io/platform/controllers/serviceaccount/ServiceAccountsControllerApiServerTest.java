package io.platform.controllers.serviceaccount;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.platform.controllers.RunningControllers;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The ServiceAccount controller against the real API server: {@code default} appears in every namespace and comes back. */
class ServiceAccountsControllerApiServerTest {

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
    void namespacesThatExistedBeforeTheControllerGetTheirDefaultAccount() {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(admin.serviceAccounts().inNamespace("default").withName("default").get()).isNotNull();
            assertThat(admin.serviceAccounts().inNamespace("kube-system").withName("default").get()).isNotNull();
        });
    }

    @Test
    void aNewNamespaceGetsTheDefaultAccountAndADeletedOneIsCreatedAgain() {
        String ns = cluster.namespace("accounts");
        ServiceAccount first = await().atMost(Duration.ofSeconds(10))
                .until(() -> admin.serviceAccounts().inNamespace(ns).withName("default").get(), account -> account != null);

        admin.serviceAccounts().inNamespace(ns).withName("default").delete();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            ServiceAccount again = admin.serviceAccounts().inNamespace(ns).withName("default").get();
            assertThat(again).isNotNull();
            assertThat(again.getMetadata().getUid()).isNotEqualTo(first.getMetadata().getUid());
        });
    }

    @Test
    void aTerminatingNamespaceGetsNoAccountBack() {
        String ns = cluster.namespace("leaving");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> admin.serviceAccounts().inNamespace(ns).withName("default").get(), account -> account != null);
        // a ConfigMap with a finalizer holds the namespace in Terminating after its other content is gone
        admin.configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata().withName("held")
                .addToFinalizers("test.platform.io/hold").endMetadata().build()).create();
        admin.namespaces().withName(ns).delete();
        await().atMost(Duration.ofSeconds(10)).until(() -> admin.serviceAccounts().inNamespace(ns).withName("default").get() == null);

        // the namespace stays Terminating while the finalizer holds; the controller does not put the account back
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).untilAsserted(() -> {
            assertThat(admin.namespaces().withName(ns).get().getStatus().getPhase()).isEqualTo("Terminating");
            assertThat(admin.serviceAccounts().inNamespace(ns).withName("default").get()).isNull();
        });

        admin.configMaps().inNamespace(ns).withName("held").edit(cm -> new ConfigMapBuilder(cm).editMetadata()
                .withFinalizers().endMetadata().build());
        await().atMost(Duration.ofSeconds(15)).until(() -> admin.namespaces().withName(ns).get() == null);
    }
}
