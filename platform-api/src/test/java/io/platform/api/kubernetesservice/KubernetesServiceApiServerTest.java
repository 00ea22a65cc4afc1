package io.platform.api.kubernetesservice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.platform.api.testing.RunningApiServer;
import io.platform.common.client.KubeconfigClients;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A real API server keeps {@code default/kubernetes} pointing at itself, as clients inside the cluster find it. */
class KubernetesServiceApiServerTest {

    private static RunningApiServer server;
    private static KubernetesClient admin;
    private static int port;

    @BeforeAll
    static void start() {
        server = RunningApiServer.start("node-a", Map.of("platform.api.kubernetes-service.interval", "200ms"));
        admin = KubeconfigClients.fromFile(server.pki().adminKubeconfig());
        port = URI.create(server.url()).getPort();
    }

    @AfterAll
    static void stop() {
        admin.close();
        server.close();
    }

    @Test
    void theServiceHasTheFirstServiceAddressAndItsEndpointsAreThisServer() {
        Service service = await().atMost(Duration.ofSeconds(10))
                .until(() -> admin.services().inNamespace("default").withName("kubernetes").get(), s -> s != null);
        assertThat(service.getSpec().getClusterIP()).isEqualTo("10.96.0.1");
        assertThat(service.getSpec().getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getName()).isEqualTo("https");
            assertThat(p.getPort()).isEqualTo(443);
            assertThat(p.getTargetPort().getIntVal()).isEqualTo(port);
        });

        Endpoints endpoints = await().atMost(Duration.ofSeconds(10))
                .until(() -> admin.endpoints().inNamespace("default").withName("kubernetes").get(), e -> e != null);
        assertThat(endpoints.getSubsets()).singleElement().satisfies(subset -> {
            assertThat(subset.getAddresses()).singleElement().satisfies(a -> assertThat(a.getIp()).isEqualTo("127.0.0.1"));
            assertThat(subset.getPorts()).singleElement().satisfies(p -> assertThat(p.getPort()).isEqualTo(port));
        });
        EndpointSlice slice = await().atMost(Duration.ofSeconds(10))
                .until(() -> admin.discovery().v1().endpointSlices().inNamespace("default").withName("kubernetes").get(), s -> s != null);
        assertThat(slice.getEndpoints()).singleElement().satisfies(e -> assertThat(e.getAddresses()).containsExactly("127.0.0.1"));
        assertThat(slice.getPorts()).singleElement().satisfies(p -> assertThat(p.getPort()).isEqualTo(port));
    }

    @Test
    void aDeletedServiceComesBack() {
        Service first = await().atMost(Duration.ofSeconds(10))
                .until(() -> admin.services().inNamespace("default").withName("kubernetes").get(), s -> s != null);
        admin.services().inNamespace("default").withName("kubernetes").delete();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Service again = admin.services().inNamespace("default").withName("kubernetes").get();
            assertThat(again).isNotNull();
            assertThat(again.getMetadata().getUid()).isNotEqualTo(first.getMetadata().getUid());
            assertThat(again.getSpec().getClusterIP()).isEqualTo("10.96.0.1");
        });
    }
}
