package io.platform.api.kubernetesservice;

import static org.assertj.core.api.Assertions.assertThat;

import io.platform.api.json.Json;
import io.platform.api.registry.BuiltinResources;
import io.platform.api.registry.ResourceType;
import io.platform.api.resource.DeleteOptions;
import io.platform.api.resource.ResourceStorage;
import io.platform.api.resource.UpdateMode;
import io.platform.api.storage.Store;
import io.platform.api.storage.sql.SqlStore;
import io.platform.api.storage.sql.SqlStoreProperties;
import io.platform.api.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The bootstrap controller's rounds over a real store: what it creates, what it repairs, whose addresses it lists. */
class KubernetesServiceReconcilerTest {

    private static final ResourceType NAMESPACES = BuiltinResources.find("", "v1", "namespaces").orElseThrow();
    private static final ResourceType SERVICES = BuiltinResources.find("", "v1", "services").orElseThrow();
    private static final ResourceType ENDPOINTS = BuiltinResources.find("", "v1", "endpoints").orElseThrow();
    private static final ResourceType SLICES = BuiltinResources.find("discovery.k8s.io", "v1", "endpointslices").orElseThrow();
    private static final KubernetesServiceProperties PROPERTIES =
            new KubernetesServiceProperties(true, Duration.ofSeconds(10), Duration.ofSeconds(15), "10.96.0.1", 443, null);

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
    private Store store;
    private ResourceStorage storage;

    @BeforeEach
    void start() {
        store = SqlStore.open(SqlStoreProperties.sqlite(dir.resolve("state.db")).withPollInterval(Duration.ofMillis(100)));
        storage = new ResourceStorage(store, clock);
        ObjectNode namespace = Json.object();
        Json.metadata(namespace).put("name", "default");
        storage.create(NAMESPACES, null, namespace, false);
    }

    @AfterEach
    void stop() {
        store.close();
    }

    @Test
    void createsTheServiceItsEndpointsAndItsEndpointSlice() {
        new KubernetesServiceReconciler(storage, clock, PROPERTIES, "192.0.2.10", 6443).reconcile();

        JsonNode service = storage.get(SERVICES, "default", "kubernetes");
        assertThat(service.path("metadata").path("labels").path("component").asString()).isEqualTo("apiserver");
        assertThat(service.path("metadata").path("labels").path("provider").asString()).isEqualTo("kubernetes");
        assertThat(service.path("spec").path("clusterIP").asString()).isEqualTo("10.96.0.1");
        assertThat(service.path("spec").path("type").asString()).isEqualTo("ClusterIP");
        JsonNode port = service.path("spec").path("ports").path(0);
        assertThat(port.path("name").asString()).isEqualTo("https");
        assertThat(port.path("port").asInt()).isEqualTo(443);
        assertThat(port.path("protocol").asString()).isEqualTo("TCP");
        assertThat(port.path("targetPort").asInt()).isEqualTo(6443);

        JsonNode endpoints = storage.get(ENDPOINTS, "default", "kubernetes");
        assertThat(addresses(endpoints)).containsExactly("192.0.2.10");
        assertThat(endpoints.path("subsets").path(0).path("ports").path(0).path("port").asInt()).isEqualTo(6443);
        assertThat(endpoints.path("subsets").path(0).path("ports").path(0).path("name").asString()).isEqualTo("https");

        JsonNode slice = storage.get(SLICES, "default", "kubernetes");
        assertThat(slice.path("metadata").path("labels").path("kubernetes.io/service-name").asString()).isEqualTo("kubernetes");
        assertThat(slice.path("addressType").asString()).isEqualTo("IPv4");
        assertThat(slice.path("endpoints").path(0).path("addresses").path(0).asString()).isEqualTo("192.0.2.10");
        assertThat(slice.path("endpoints").path(0).path("conditions").path("ready").asBoolean()).isTrue();
        assertThat(slice.path("ports").path(0).path("port").asInt()).isEqualTo(6443);
    }

    @Test
    void recreatesWhatWasDeletedAndRepairsWhatWasChanged() {
        KubernetesServiceReconciler reconciler = new KubernetesServiceReconciler(storage, clock, PROPERTIES, "192.0.2.10", 6443);
        reconciler.reconcile();
        String firstUid = storage.get(SERVICES, "default", "kubernetes").path("metadata").path("uid").asString();
        storage.delete(SERVICES, "default", "kubernetes", DeleteOptions.defaults(), false);
        storage.update(ENDPOINTS, "default", "kubernetes", UpdateMode.MAIN, false, endpoints -> {
            ((ObjectNode) endpoints.path("subsets").path(0).path("addresses").path(0)).put("ip", "198.51.100.1");
            return endpoints;
        });
        storage.update(SLICES, "default", "kubernetes", UpdateMode.MAIN, false, slice -> {
            ((ObjectNode) slice.path("ports").path(0)).put("port", 1);
            return slice;
        });

        reconciler.reconcile();

        JsonNode service = storage.get(SERVICES, "default", "kubernetes");
        assertThat(service.path("metadata").path("uid").asString()).isNotEqualTo(firstUid);
        assertThat(service.path("spec").path("clusterIP").asString()).isEqualTo("10.96.0.1");
        assertThat(addresses(storage.get(ENDPOINTS, "default", "kubernetes"))).containsExactly("192.0.2.10");
        assertThat(storage.get(SLICES, "default", "kubernetes").path("ports").path(0).path("port").asInt()).isEqualTo(6443);
    }

    @Test
    void listsEveryServerWithACurrentLeaseAndDropsOnesThatStoppedRenewing() {
        KubernetesServiceReconciler first = new KubernetesServiceReconciler(storage, clock, PROPERTIES, "192.0.2.10", 6443);
        KubernetesServiceReconciler second = new KubernetesServiceReconciler(storage, clock, PROPERTIES, "192.0.2.11", 6443);
        first.reconcile();
        second.reconcile();
        assertThat(addresses(storage.get(ENDPOINTS, "default", "kubernetes"))).containsExactly("192.0.2.10", "192.0.2.11");

        // the second server stops renewing; past the ttl it drops out
        clock.advance(Duration.ofSeconds(10));
        first.reconcile();
        assertThat(addresses(storage.get(ENDPOINTS, "default", "kubernetes"))).containsExactly("192.0.2.10", "192.0.2.11");
        clock.advance(Duration.ofSeconds(10));
        first.reconcile();
        assertThat(addresses(storage.get(ENDPOINTS, "default", "kubernetes"))).containsExactly("192.0.2.10");
        assertThat(storage.get(SLICES, "default", "kubernetes").path("endpoints")).hasSize(1);
    }

    @Test
    void aStoppingServerLeavesTheEndpointsToTheOthersButTheLastOneErasesNothing() {
        KubernetesServiceReconciler first = new KubernetesServiceReconciler(storage, clock, PROPERTIES, "192.0.2.10", 6443);
        KubernetesServiceReconciler second = new KubernetesServiceReconciler(storage, clock, PROPERTIES, "192.0.2.11", 6443);
        first.reconcile();
        second.reconcile();

        second.removeSelf();
        assertThat(addresses(storage.get(ENDPOINTS, "default", "kubernetes"))).containsExactly("192.0.2.10");

        first.removeSelf();
        assertThat(addresses(storage.get(ENDPOINTS, "default", "kubernetes"))).containsExactly("192.0.2.10");
    }

    @Test
    void theAdvertisedAddressIsTheConfiguredOneElseTheBindAddress() {
        assertThat(KubernetesServiceConfiguration.advertiseAddress("192.0.2.7", "127.0.0.1")).isEqualTo("192.0.2.7");
        assertThat(KubernetesServiceConfiguration.advertiseAddress(null, "127.0.0.1")).isEqualTo("127.0.0.1");
        assertThat(KubernetesServiceConfiguration.advertiseAddress(null, "0.0.0.0")).isNotEqualTo("0.0.0.0");
    }

    private static List<String> addresses(JsonNode endpoints) {
        return endpoints.path("subsets").path(0).path("addresses").valueStream().map(a -> a.path("ip").asString()).toList();
    }
}
