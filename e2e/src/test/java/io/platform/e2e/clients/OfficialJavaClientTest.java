package io.platform.e2e.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.gson.reflect.TypeToken;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.informer.ResourceEventHandler;
import io.kubernetes.client.informer.SharedIndexInformer;
import io.kubernetes.client.informer.SharedInformerFactory;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1ConfigMapList;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1DeploymentSpec;
import io.kubernetes.client.openapi.models.V1LabelSelector;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1PodTemplateSpec;
import io.kubernetes.client.util.Config;
import io.kubernetes.client.util.PatchUtils;
import io.kubernetes.client.util.Watch;
import io.platform.api.testing.RunningApiServer;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.HttpUrl;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The official Kubernetes Java client ({@code io.kubernetes:client-java} 24, Kubernetes 1.32) against
 * the real API server, authenticated by the admin kubeconfig's EC client certificate: CRUD with
 * optimistic concurrency, merge and strategic merge patch, watch, a {@link SharedInformerFactory}
 * informer across server-ended watches, server-side apply through {@link PatchUtils} and
 * pagination. The client's models reject unknown fields, so every response is also checked for
 * shape. Needs no Docker and no {@code PLATFORM_E2E}.
 */
class OfficialJavaClientTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    /** Strategic merge patch changing only the image of the container named web. */
    private static final String NEW_IMAGE_PATCH =
            "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"web\",\"image\":\"busybox:1.36\"}]}}}}";

    private static RunningApiServer server;
    private static ApiClient apiClient;
    private static CoreV1Api core;
    private static AppsV1Api apps;

    @BeforeAll
    static void startServer() throws IOException {
        server = RunningApiServer.start("node-a");
        apiClient = client();
        core = new CoreV1Api(apiClient);
        apps = new AppsV1Api(apiClient);
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    private static ApiClient client() throws IOException {
        return Config.fromConfig(server.pki().adminKubeconfig().toString());
    }

    private static String namespace(String name) throws ApiException {
        core.createNamespace(new V1Namespace().metadata(new V1ObjectMeta().name(name))).execute();
        return name;
    }

    private static V1ConfigMap configMap(String name, Map<String, String> data) {
        return new V1ConfigMap().metadata(new V1ObjectMeta().name(name).putLabelsItem("suite", "client-java"))
                .data(data);
    }

    private static V1Deployment deployment(String name) {
        return new V1Deployment().metadata(new V1ObjectMeta().name(name)).spec(new V1DeploymentSpec()
                .replicas(1)
                .selector(new V1LabelSelector().putMatchLabelsItem("app", name))
                .template(new V1PodTemplateSpec()
                        .metadata(new V1ObjectMeta().putLabelsItem("app", name))
                        .spec(new V1PodSpec().addContainersItem(new V1Container().name("web").image("busybox:1.35")
                                .command(List.of("sleep", "3600"))))));
    }

    private static int code(Throwable e) {
        return ((ApiException) e).getCode();
    }

    @Test
    void configMapCrudWithConflictOnStaleResourceVersion() throws ApiException {
        String ns = namespace("cj-crud");

        V1ConfigMap created = core.createNamespacedConfigMap(ns, configMap("settings", Map.of("a", "1"))).execute();
        assertThat(created.getMetadata().getUid()).isNotBlank();
        assertThat(core.readNamespacedConfigMap("settings", ns).execute().getData()).isEqualTo(Map.of("a", "1"));
        assertThat(core.listNamespacedConfigMap(ns).execute().getItems())
                .extracting(c -> c.getMetadata().getName()).containsExactly("settings");

        V1ConfigMap stale = core.readNamespacedConfigMap("settings", ns).execute();
        V1ConfigMap updated = core.replaceNamespacedConfigMap("settings", ns,
                core.readNamespacedConfigMap("settings", ns).execute().data(Map.of("a", "2"))).execute();
        assertThat(updated.getData()).isEqualTo(Map.of("a", "2"));

        assertThatThrownBy(() -> core.replaceNamespacedConfigMap("settings", ns, stale.data(Map.of("a", "lost")))
                .execute())
                .isInstanceOf(ApiException.class).satisfies(e -> assertThat(code(e)).isEqualTo(409));
        assertThat(core.readNamespacedConfigMap("settings", ns).execute().getData()).isEqualTo(Map.of("a", "2"));

        V1ConfigMap merged = PatchUtils.patch(V1ConfigMap.class,
                () -> core.patchNamespacedConfigMap("settings", ns, new V1Patch("{\"data\":{\"b\":\"3\",\"a\":null}}"))
                        .buildCall(null),
                V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, apiClient);
        assertThat(merged.getData()).isEqualTo(Map.of("b", "3"));

        core.deleteNamespacedConfigMap("settings", ns).execute();
        assertThatThrownBy(() -> core.readNamespacedConfigMap("settings", ns).execute())
                .isInstanceOf(ApiException.class).satisfies(e -> assertThat(code(e)).isEqualTo(404));
    }

    @Test
    void deploymentCrudWithMergeAndStrategicPatch() throws ApiException {
        String ns = namespace("cj-deploy");

        V1Deployment created = apps.createNamespacedDeployment(ns, deployment("web")).execute();
        assertThat(created.getMetadata().getGeneration()).isEqualTo(1L);
        assertThat(apps.listNamespacedDeployment(ns).execute().getItems()).hasSize(1);

        V1Deployment stale = apps.readNamespacedDeployment("web", ns).execute();
        V1Deployment current = apps.readNamespacedDeployment("web", ns).execute();
        current.getSpec().setReplicas(2);
        V1Deployment scaled = apps.replaceNamespacedDeployment("web", ns, current).execute();
        assertThat(scaled.getSpec().getReplicas()).isEqualTo(2);
        assertThat(scaled.getMetadata().getGeneration()).isEqualTo(2L);
        stale.getSpec().setReplicas(5);
        assertThatThrownBy(() -> apps.replaceNamespacedDeployment("web", ns, stale).execute())
                .isInstanceOf(ApiException.class).satisfies(e -> assertThat(code(e)).isEqualTo(409));

        // strategic merge: containers merge by name, so the command survives an image change
        V1Deployment strategic = PatchUtils.patch(V1Deployment.class,
                () -> apps.patchNamespacedDeployment("web", ns, new V1Patch(NEW_IMAGE_PATCH))
                        .buildCall(null),
                V1Patch.PATCH_FORMAT_STRATEGIC_MERGE_PATCH, apiClient);
        List<V1Container> containers = strategic.getSpec().getTemplate().getSpec().getContainers();
        assertThat(containers).hasSize(1);
        assertThat(containers.getFirst().getImage()).isEqualTo("busybox:1.36");
        assertThat(containers.getFirst().getCommand()).containsExactly("sleep", "3600");

        V1Deployment merged = PatchUtils.patch(V1Deployment.class,
                () -> apps.patchNamespacedDeployment("web", ns,
                        new V1Patch("{\"metadata\":{\"labels\":{\"tier\":\"front\"}},\"spec\":{\"replicas\":3}}"))
                        .buildCall(null),
                V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, apiClient);
        assertThat(merged.getMetadata().getLabels()).containsEntry("tier", "front");
        assertThat(merged.getSpec().getReplicas()).isEqualTo(3);

        apps.deleteNamespacedDeployment("web", ns).execute();
        assertThatThrownBy(() -> apps.readNamespacedDeployment("web", ns).execute())
                .isInstanceOf(ApiException.class).satisfies(e -> assertThat(code(e)).isEqualTo(404));
    }

    @Test
    void watchSeesAddedModifiedDeletedInOrder() throws Exception {
        String ns = namespace("cj-watch");
        String from = core.listNamespacedConfigMap(ns).execute().getMetadata().getResourceVersion();
        ApiClient watching = client();
        watching.setHttpClient(watching.getHttpClient().newBuilder().readTimeout(WAIT).build());
        List<String> events = new ArrayList<>();
        try (Watch<V1ConfigMap> watch = Watch.createWatch(watching,
                new CoreV1Api(watching).listNamespacedConfigMap(ns).watch(true).resourceVersion(from).buildCall(null),
                new TypeToken<Watch.Response<V1ConfigMap>>() {}.getType())) {
            core.createNamespacedConfigMap(ns, configMap("watched", Map.of("v", "1"))).execute();
            V1ConfigMap current = core.readNamespacedConfigMap("watched", ns).execute();
            core.replaceNamespacedConfigMap("watched", ns, current.data(Map.of("v", "2"))).execute();
            core.deleteNamespacedConfigMap("watched", ns).execute();
            for (Watch.Response<V1ConfigMap> event : watch) {
                events.add(event.type + " " + event.object.getMetadata().getName() + " " + event.object.getData());
                if (events.size() == 3) {
                    break;
                }
            }
        }
        assertThat(events).containsExactly("ADDED watched {v=1}", "MODIFIED watched {v=2}", "DELETED watched {v=2}");
    }

    @Test
    void informerSyncsAndSeesChangesAcrossServerEndedWatches() throws Exception {
        String ns = namespace("cj-informer");
        core.createNamespacedConfigMap(ns, configMap("before", Map.of("v", "1"))).execute();

        // the informer asks for 5 to 10 minute watches; the server is told to end each after 2 s instead
        WatchRequests watches = new WatchRequests(2);
        ApiClient informing = client();
        informing.setHttpClient(informing.getHttpClient().newBuilder().readTimeout(Duration.ZERO)
                .addInterceptor(chain -> WatchRequests.isWatch(chain.request().url().uri())
                        ? chain.proceed(chain.request().newBuilder()
                                .url(HttpUrl.get(watches.rewrite(chain.request().url().uri()))).build())
                        : chain.proceed(chain.request()))
                .build());
        CoreV1Api informingCore = new CoreV1Api(informing);
        SharedInformerFactory factory = new SharedInformerFactory(informing);
        SharedIndexInformer<V1ConfigMap> informer = factory.sharedIndexInformerFor(
                params -> informingCore.listNamespacedConfigMap(ns)
                        .resourceVersion(params.resourceVersion)
                        .watch(params.watch)
                        .timeoutSeconds(params.timeoutSeconds)
                        .buildCall(null),
                V1ConfigMap.class, V1ConfigMapList.class);
        List<String> seen = new CopyOnWriteArrayList<>();
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(V1ConfigMap obj) {
                seen.add("add " + obj.getMetadata().getName() + " " + obj.getData());
            }

            @Override
            public void onUpdate(V1ConfigMap oldObj, V1ConfigMap newObj) {
                if (!oldObj.getMetadata().getResourceVersion().equals(newObj.getMetadata().getResourceVersion())) {
                    seen.add("update " + newObj.getMetadata().getName() + " " + newObj.getData());
                }
            }

            @Override
            public void onDelete(V1ConfigMap obj, boolean deletedFinalStateUnknown) {
                seen.add("delete " + obj.getMetadata().getName());
            }
        });
        factory.startAllRegisteredInformers();
        try {
            await().atMost(WAIT).until(informer::hasSynced);
            assertThat(informer.getIndexer().listKeys()).containsExactly(ns + "/before");

            core.createNamespacedConfigMap(ns, configMap("after", Map.of("v", "1"))).execute();
            await().atMost(WAIT).until(() -> seen.contains("add after {v=1}"));

            int watchesSoFar = watches.started();
            await().atMost(WAIT).until(() -> watches.started() >= watchesSoFar + 2);
            V1ConfigMap after = core.readNamespacedConfigMap("after", ns).execute();
            core.replaceNamespacedConfigMap("after", ns, after.data(Map.of("v", "2"))).execute();
            core.deleteNamespacedConfigMap("before", ns).execute();
            await().atMost(WAIT).until(() -> seen.contains("delete before"));

            assertThat(seen).containsExactly("add before {v=1}", "add after {v=1}", "update after {v=2}",
                    "delete before");
            assertThat(informer.getIndexer().getByKey(ns + "/after").getData()).isEqualTo(Map.of("v", "2"));
            assertThat(informer.getIndexer().listKeys()).containsExactly(ns + "/after");
        } finally {
            factory.stopAllRegisteredInformers();
        }
    }

    private static V1ConfigMap apply(String ns, String manager, boolean force, String yaml) throws ApiException {
        return PatchUtils.patch(V1ConfigMap.class,
                () -> core.patchNamespacedConfigMap("applied", ns, new V1Patch(yaml))
                        .fieldManager(manager).force(force).buildCall(null),
                V1Patch.PATCH_FORMAT_APPLY_YAML, apiClient);
    }

    private static String appliedYaml(Map<String, String> data) {
        StringBuilder yaml = new StringBuilder("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: applied\ndata:\n");
        data.forEach((k, v) -> yaml.append("  ").append(k).append(": \"").append(v).append("\"\n"));
        return yaml.toString();
    }

    @Test
    void serverSideApplyWithConflictAndForce() throws ApiException {
        String ns = namespace("cj-apply");

        V1ConfigMap applied = apply(ns, "manager-a", false, appliedYaml(Map.of("owned-by-a", "1", "shared", "a")));
        // client-java's Gson always skips metadata.managedFields (V1MetadataExclusionStrategy), so
        // ownership shows only through the conflict below; the fabric8 suite checks managedFields
        assertThat(applied.getData()).isEqualTo(Map.of("owned-by-a", "1", "shared", "a"));

        assertThatThrownBy(() -> apply(ns, "manager-b", false, appliedYaml(Map.of("shared", "b"))))
                .isInstanceOf(ApiException.class).satisfies(e -> {
                    assertThat(code(e)).isEqualTo(409);
                    assertThat(((ApiException) e).getResponseBody()).contains("manager-a").contains("data.shared");
                });
        assertThat(core.readNamespacedConfigMap("applied", ns).execute().getData()).containsEntry("shared", "a");

        V1ConfigMap forced = apply(ns, "manager-b", true, appliedYaml(Map.of("shared", "b")));
        assertThat(forced.getData()).isEqualTo(Map.of("owned-by-a", "1", "shared", "b"));

        V1ConfigMap reapplied = apply(ns, "manager-a", false, appliedYaml(Map.of("other", "x")));
        assertThat(reapplied.getData()).isEqualTo(Map.of("other", "x", "shared", "b"));
    }

    @Test
    void paginationReturnsEveryObjectOnce() throws ApiException {
        String ns = namespace("cj-pages");
        for (int i = 0; i < 10; i++) {
            core.createNamespacedConfigMap(ns, configMap("cm-" + i, Map.of("i", "" + i))).execute();
        }

        List<String> names = new ArrayList<>();
        @Nullable String token = null;
        int pages = 0;
        do {
            V1ConfigMapList page = core.listNamespacedConfigMap(ns).labelSelector("suite=client-java").limit(2)
                    ._continue(token).execute();
            assertThat(page.getItems()).hasSizeLessThanOrEqualTo(2);
            page.getItems().forEach(c -> names.add(c.getMetadata().getName()));
            token = page.getMetadata().getContinue();
            pages++;
            assertThat(pages).isLessThanOrEqualTo(6);
        } while (token != null && !token.isEmpty());

        assertThat(names).hasSize(10).doesNotHaveDuplicates()
                .containsExactlyInAnyOrder("cm-0", "cm-1", "cm-2", "cm-3", "cm-4", "cm-5", "cm-6", "cm-7", "cm-8",
                        "cm-9");
        assertThat(pages).isEqualTo(5);
    }
}
