package io.platform.e2e.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ConfigMapList;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.platform.api.testing.RunningApiServer;
import io.platform.common.client.KubeconfigClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * fabric8 kubernetes-client 8.0 against the real API server: CRUD with optimistic concurrency,
 * merge and strategic merge patch, watch, informer across server-ended watches, server-side apply
 * and pagination. Needs no Docker and no {@code PLATFORM_E2E}: nothing here runs a pod.
 */
class Fabric8ClientTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    /** Strategic merge patch changing only the image of the container named web. */
    private static final String NEW_IMAGE_PATCH =
            "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"web\",\"image\":\"busybox:1.36\"}]}}}}";

    private static RunningApiServer server;
    private static KubernetesClient client;

    @BeforeAll
    static void startServer() {
        server = RunningApiServer.start("node-a");
        client = KubeconfigClients.fromFile(server.pki().adminKubeconfig());
    }

    @AfterAll
    static void stopServer() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private static String namespace(String name) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
                .create();
        return name;
    }

    private static ConfigMap configMap(String name, Map<String, String> data) {
        return new ConfigMapBuilder().withNewMetadata().withName(name).addToLabels("suite", "fabric8").endMetadata()
                .withData(data).build();
    }

    private static Deployment deployment(String name) {
        return new DeploymentBuilder()
                .withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withReplicas(1)
                .withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate()
                .withNewMetadata().addToLabels("app", name).endMetadata()
                .withNewSpec().addNewContainer().withName("web").withImage("busybox:1.35")
                .withCommand("sleep", "3600").endContainer().endSpec()
                .endTemplate().endSpec().build();
    }

    @Test
    void configMapCrudWithConflictOnStaleResourceVersion() {
        String ns = namespace("f8-crud");
        var configMaps = client.configMaps().inNamespace(ns);

        ConfigMap created = configMaps.resource(configMap("settings", Map.of("a", "1"))).create();
        assertThat(created.getMetadata().getUid()).isNotBlank();
        assertThat(created.getMetadata().getResourceVersion()).isNotBlank();
        assertThat(configMaps.withName("settings").get().getData()).containsExactly(Map.entry("a", "1"));
        assertThat(configMaps.list().getItems()).extracting(c -> c.getMetadata().getName()).containsExactly("settings");

        ConfigMap stale = configMaps.withName("settings").get();
        ConfigMap fresh = configMaps.withName("settings").get();
        fresh.setData(Map.of("a", "2"));
        ConfigMap updated = configMaps.resource(fresh).update();
        assertThat(updated.getData()).containsEntry("a", "2");
        assertThat(updated.getMetadata().getResourceVersion()).isNotEqualTo(stale.getMetadata().getResourceVersion());

        stale.setData(Map.of("a", "lost"));
        assertThatThrownBy(() -> configMaps.resource(stale).update())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
        assertThat(configMaps.withName("settings").get().getData()).containsEntry("a", "2");

        ConfigMap merged = configMaps.withName("settings")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"data\":{\"b\":\"3\",\"a\":null}}");
        assertThat(merged.getData()).isEqualTo(Map.of("b", "3"));

        assertThat(configMaps.withName("settings").delete()).hasSize(1);
        await().atMost(WAIT).until(() -> configMaps.withName("settings").get() == null);
        assertThatThrownBy(() -> configMaps.withName("settings").edit(c -> c))
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(404));
    }

    @Test
    void deploymentCrudWithMergeAndStrategicPatch() {
        String ns = namespace("f8-deploy");
        var deployments = client.apps().deployments().inNamespace(ns);

        Deployment created = deployments.resource(deployment("web")).create();
        assertThat(created.getMetadata().getGeneration()).isEqualTo(1L);
        assertThat(deployments.list().getItems()).hasSize(1);

        Deployment stale = deployments.withName("web").get();
        Deployment scaled = deployments.withName("web").edit(d -> {
            d.getSpec().setReplicas(2);
            return d;
        });
        assertThat(scaled.getSpec().getReplicas()).isEqualTo(2);
        assertThat(scaled.getMetadata().getGeneration()).isEqualTo(2L);
        stale.getSpec().setReplicas(5);
        assertThatThrownBy(() -> deployments.resource(stale).update())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));

        // strategic merge: containers merge by name, so the command survives an image change
        Deployment strategic = deployments.withName("web")
                .patch(PatchContext.of(PatchType.STRATEGIC_MERGE), NEW_IMAGE_PATCH);
        Container web = strategic.getSpec().getTemplate().getSpec().getContainers().getFirst();
        assertThat(strategic.getSpec().getTemplate().getSpec().getContainers()).hasSize(1);
        assertThat(web.getImage()).isEqualTo("busybox:1.36");
        assertThat(web.getCommand()).containsExactly("sleep", "3600");

        Deployment merged = deployments.withName("web").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"metadata\":{\"labels\":{\"tier\":\"front\"}},\"spec\":{\"replicas\":3}}");
        assertThat(merged.getMetadata().getLabels()).containsEntry("tier", "front");
        assertThat(merged.getSpec().getReplicas()).isEqualTo(3);
        assertThat(merged.getSpec().getTemplate().getSpec().getContainers().getFirst().getImage())
                .isEqualTo("busybox:1.36");

        assertThat(deployments.withName("web").delete()).hasSize(1);
        await().atMost(WAIT).until(() -> deployments.withName("web").get() == null);
    }

    @Test
    void watchSeesAddedModifiedDeletedInOrder() {
        String ns = namespace("f8-watch");
        var configMaps = client.configMaps().inNamespace(ns);
        String from = configMaps.list().getMetadata().getResourceVersion();
        List<String> events = new CopyOnWriteArrayList<>();
        Watcher<ConfigMap> watcher = new Watcher<>() {
            @Override
            public void eventReceived(Action action, ConfigMap resource) {
                events.add(action + " " + resource.getMetadata().getName() + " "
                        + (resource.getData() == null ? "{}" : resource.getData()));
            }

            @Override
            public void onClose(@Nullable WatcherException cause) {}
        };
        try (Watch ignored = configMaps.watch(new ListOptionsBuilder().withResourceVersion(from).build(), watcher)) {
            configMaps.resource(configMap("watched", Map.of("v", "1"))).create();
            configMaps.withName("watched").edit(c -> {
                c.setData(Map.of("v", "2"));
                return c;
            });
            configMaps.withName("watched").delete();
            await().atMost(WAIT).until(() -> events.size() >= 3);
        }
        assertThat(events).containsExactly("ADDED watched {v=1}", "MODIFIED watched {v=2}", "DELETED watched {v=2}");
    }

    @Test
    void informerSyncsAndSeesLaterChanges() throws Exception {
        String ns = namespace("f8-informer");
        informAndFollow(ns, client, () -> {});
    }

    @Test
    void informerSeesChangesAfterTheServerEndsItsWatch() throws Exception {
        String ns = namespace("f8-informer-rewatch");
        WatchRequests watches = new WatchRequests(2);
        Interceptor shortWatches = new Interceptor() {
            @Override
            public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
                if (WatchRequests.isWatch(request.uri())) {
                    builder.uri(watches.rewrite(request.uri()));
                }
            }
        };
        try (KubernetesClient informing = new KubernetesClientBuilder()
                .withConfig(KubeconfigClients.config(server.pki().adminKubeconfig()))
                .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("short-watches", shortWatches))
                .build()) {
            // the server ends each watch after 2 s; the informer must watch again and miss nothing
            informAndFollow(ns, informing, () -> {
                int watchesSoFar = watches.started();
                await().atMost(WAIT).until(() -> watches.started() >= watchesSoFar + 2);
            });
        }
    }

    /** Starts an informer through {@code informing}, checks its sync, runs {@code between}, then follows changes. */
    private static void informAndFollow(String ns, KubernetesClient informing, Runnable between) throws Exception {
        client.configMaps().inNamespace(ns).resource(configMap("before", Map.of("v", "1"))).create();
        List<String> seen = new CopyOnWriteArrayList<>();
        SharedIndexInformer<ConfigMap> informer = informing.configMaps().inNamespace(ns).runnableInformer(0);
        informer.addEventHandler(new ResourceEventHandler<ConfigMap>() {
            @Override
            public void onAdd(ConfigMap obj) {
                seen.add("add " + obj.getMetadata().getName() + " " + obj.getData());
            }

            @Override
            public void onUpdate(ConfigMap oldObj, ConfigMap newObj) {
                if (!oldObj.getMetadata().getResourceVersion().equals(newObj.getMetadata().getResourceVersion())) {
                    seen.add("update " + newObj.getMetadata().getName() + " " + newObj.getData());
                }
            }

            @Override
            public void onDelete(ConfigMap obj, boolean deletedFinalStateUnknown) {
                seen.add("delete " + obj.getMetadata().getName());
            }
        });
        informer.start().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        try {
            assertThat(informer.hasSynced()).isTrue();
            assertThat(informer.getStore().listKeys()).containsExactly(ns + "/before");

            client.configMaps().inNamespace(ns).resource(configMap("after", Map.of("v", "1"))).create();
            await().atMost(WAIT).until(() -> seen.contains("add after {v=1}"));
            between.run();
            client.configMaps().inNamespace(ns).withName("after").edit(c -> {
                c.setData(Map.of("v", "2"));
                return c;
            });
            client.configMaps().inNamespace(ns).withName("before").delete();
            await().atMost(WAIT).until(() -> seen.contains("delete before"));
            assertThat(seen).containsExactly("add before {v=1}", "add after {v=1}", "update after {v=2}",
                    "delete before");
            assertThat(informer.getStore().getByKey(ns + "/after").getData()).containsEntry("v", "2");
            assertThat(informer.getStore().listKeys()).containsExactly(ns + "/after");
        } finally {
            informer.stop();
        }
    }

    @Test
    void serverSideApplyWithConflictAndForce() {
        String ns = namespace("f8-apply");
        var configMaps = client.configMaps().inNamespace(ns);

        ConfigMap applied = configMaps.resource(configMap("applied", Map.of("owned-by-a", "1", "shared", "a")))
                .fieldManager("manager-a").serverSideApply();
        assertThat(applied.getData()).containsEntry("shared", "a");
        assertThat(applied.getMetadata().getManagedFields())
                .anySatisfy(f -> {
                    assertThat(f.getManager()).isEqualTo("manager-a");
                    assertThat(f.getOperation()).isEqualTo("Apply");
                });

        ConfigMap byB = configMap("applied", Map.of("shared", "b"));
        assertThatThrownBy(() -> configMaps.resource(byB).fieldManager("manager-b").serverSideApply())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(409);
                    assertThat(e.getMessage()).contains("manager-a").contains("data.shared");
                });
        assertThat(configMaps.withName("applied").get().getData()).containsEntry("shared", "a");

        ConfigMap forced = configMaps.resource(byB).fieldManager("manager-b").forceConflicts().serverSideApply();
        assertThat(forced.getData()).containsEntry("shared", "b").containsEntry("owned-by-a", "1");

        // manager-a no longer owns data.shared: applying without it keeps b's value and drops only a's own field
        ConfigMap reapplied = configMaps.resource(configMap("applied", Map.of("other", "x")))
                .fieldManager("manager-a").serverSideApply();
        assertThat(reapplied.getData()).isEqualTo(Map.of("other", "x", "shared", "b"));
    }

    @Test
    void paginationReturnsEveryObjectOnce() {
        String ns = namespace("f8-pages");
        var configMaps = client.configMaps().inNamespace(ns);
        IntStream.range(0, 10).forEach(i -> configMaps.resource(configMap("cm-" + i, Map.of("i", "" + i))).create());

        List<String> names = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            ConfigMapList page = configMaps.withLabel("suite", "fabric8")
                    .list(new ListOptionsBuilder().withLimit(2L).withContinue(token).build());
            assertThat(page.getItems()).hasSizeLessThanOrEqualTo(2);
            page.getItems().forEach(c -> names.add(c.getMetadata().getName()));
            token = page.getMetadata().getContinue();
            pages++;
            assertThat(pages).isLessThanOrEqualTo(6);
        } while (token != null && !token.isEmpty());

        assertThat(names).hasSize(10).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(IntStream.range(0, 10).mapToObj(i -> "cm-" + i).toList());
        assertThat(pages).isEqualTo(5);
    }
}
