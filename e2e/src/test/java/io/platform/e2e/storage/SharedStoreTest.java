package io.platform.e2e.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ConfigMapList;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two API server processes on one etcd, and on one PostgreSQL database, act as one: a write
 * through either shows at once in the other's consistent lists and, exactly once and in revision
 * order, in watches on both; two updates from the same resourceVersion through different servers
 * never both win. Server B runs on a copy of server A's CA and credentials, so each trusts the
 * other's clients (B's client here uses A's kubeconfig).
 */
class SharedStoreTest {

    private static final String NAMESPACE = "shared";
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int OBJECTS = 10;
    private static final int RACES = 10;

    // kept when the test fails: the API servers' logs are in it
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @ParameterizedTest
    @EnumSource(value = StoreBackend.class, names = {"ETCD", "POSTGRES"})
    void twoApiServersServeOneStoreConsistently(StoreBackend backend) throws Exception {
        Path jar = PlatformJar.require();
        try (StoreBackend.Provisioned store = backend.provision();
                ApiServerProcess a = new ApiServerProcess(jar, dir.resolve("a"), store.url());
                ApiServerProcess b = new ApiServerProcess(jar, dir.resolve("b"), store.url())) {
            // B starts as soon as A has made the cluster's CA and credentials, while A still boots
            a.launch();
            a.awaitCredentials();
            Files.createDirectories(b.dataDir());
            a.copyCredentialsTo(b.dataDir());
            b.launch();
            a.awaitReady();
            b.awaitReady();
            try (KubernetesClient clientA = a.client(); KubernetesClient clientB = b.client(a.adminKubeconfig())) {
                clientA.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE)
                        .endMetadata().build()).create();
                writesShowInTheOtherServersListsAndWatches(clientA, clientB);
                updatesFromOneResourceVersionConflictAcrossServers(clientA, clientB);
            }
        }
    }

    private static void writesShowInTheOtherServersListsAndWatches(KubernetesClient clientA,
            KubernetesClient clientB) {
        String startA = clientA.configMaps().inNamespace(NAMESPACE).list().getMetadata().getResourceVersion();
        String startB = clientB.configMaps().inNamespace(NAMESPACE).list().getMetadata().getResourceVersion();
        WatchRecorder onA = new WatchRecorder();
        WatchRecorder onB = new WatchRecorder();
        List<WatchRecorder.Seen> expected = new ArrayList<>();
        try (Watch watchA = watch(clientA, startA, onA); Watch watchB = watch(clientB, startB, onB)) {
            for (int k = 0; k < OBJECTS; k++) {
                // alternate which server creates, updates and deletes; the other one must see it
                KubernetesClient first = k % 2 == 0 ? clientA : clientB;
                KubernetesClient second = k % 2 == 0 ? clientB : clientA;
                String name = "cm-" + k;
                ConfigMap created = configMaps(first).resource(configMap(name, Map.of("step", "created"))).create();
                expected.add(seen("ADDED", created));
                assertListedBy(second, created);

                ConfigMap changed = new ConfigMapBuilder(created).withData(Map.of("step", "updated")).build();
                ConfigMap updated = configMaps(second).resource(changed).update();
                expected.add(seen("MODIFIED", updated));
                assertListedBy(first, updated);

                if (k % 2 == 0) {
                    configMaps(first).withName(name).delete();
                    expected.add(new WatchRecorder.Seen("DELETED", name, null));
                    assertThat(configMaps(second).list().getItems()).as("list on the other server after deleting %s", name)
                            .noneMatch(item -> item.getMetadata().getName().equals(name));
                }
            }
            // the last write: once both watches saw it, they saw everything before it, or never will
            ConfigMap sentinel = configMaps(clientB).resource(configMap("sentinel", Map.of())).create();
            expected.add(seen("ADDED", sentinel));
            await("watches on both servers reach the sentinel").atMost(WAIT)
                    .until(() -> onA.sawOrFailed("sentinel") && onB.sawOrFailed("sentinel"));
            onA.assertExactly(expected, "watch on server A");
            onB.assertExactly(expected, "watch on server B");
        }
        // a watch opened afterwards from the same start replays the same history
        WatchRecorder replay = new WatchRecorder();
        try (Watch watch = watch(clientB, startB, replay)) {
            await("a late watch on server B replays to the sentinel").atMost(WAIT)
                    .until(() -> replay.sawOrFailed("sentinel"));
            replay.assertExactly(expected, "late watch on server B");
        }
    }

    private static void updatesFromOneResourceVersionConflictAcrossServers(KubernetesClient clientA,
            KubernetesClient clientB) throws Exception {
        ConfigMap original = configMaps(clientA).resource(configMap("cas", Map.of("winner", "none"))).create();
        conflictsAfterTheOtherServerWins(clientA, clientB, original);
        conflictsAfterTheOtherServerWins(clientB, clientA, configMaps(clientA).withName("cas").get());

        ExecutorService racers = Executors.newFixedThreadPool(2);
        try {
            for (int race = 0; race < RACES; race++) {
                ConfigMap current = configMaps(clientA).withName("cas").get();
                CountDownLatch go = new CountDownLatch(1);
                CompletableFuture<Integer> viaA = CompletableFuture.supplyAsync(
                        () -> updateStatus(clientA, current, "a-" + current.getMetadata().getResourceVersion(), go),
                        racers);
                CompletableFuture<Integer> viaB = CompletableFuture.supplyAsync(
                        () -> updateStatus(clientB, current, "b-" + current.getMetadata().getResourceVersion(), go),
                        racers);
                go.countDown();
                List<Integer> codes = List.of(viaA.get(), viaB.get());
                assertThat(codes).as("race %d from resourceVersion %s: status via A, via B", race,
                        current.getMetadata().getResourceVersion()).containsExactlyInAnyOrder(200, 409);
                String winner = (codes.get(0).intValue() == 200 ? "a-" : "b-") + current.getMetadata().getResourceVersion();
                assertThat(configMaps(clientA).withName("cas").get().getData()).containsEntry("winner", winner);
                assertThat(configMaps(clientB).withName("cas").get().getData()).containsEntry("winner", winner);
            }
        } finally {
            racers.shutdownNow();
        }
    }

    /** Both servers read {@code base}'s resourceVersion; the update through {@code winner} takes it. */
    private static void conflictsAfterTheOtherServerWins(KubernetesClient winner, KubernetesClient loser,
            ConfigMap base) {
        String resourceVersion = base.getMetadata().getResourceVersion();
        ConfigMap readByWinner = configMaps(winner).withName(base.getMetadata().getName()).get();
        ConfigMap readByLoser = configMaps(loser).withName(base.getMetadata().getName()).get();
        assertThat(readByWinner.getMetadata().getResourceVersion()).isEqualTo(resourceVersion);
        assertThat(readByLoser.getMetadata().getResourceVersion()).isEqualTo(resourceVersion);

        ConfigMap won = configMaps(winner).resource(new ConfigMapBuilder(readByWinner)
                .withData(Map.of("winner", "first-" + resourceVersion)).build()).update();
        assertThat(Long.parseLong(won.getMetadata().getResourceVersion())).isGreaterThan(Long.parseLong(resourceVersion));
        assertThatThrownBy(() -> configMaps(loser).resource(new ConfigMapBuilder(readByLoser)
                        .withData(Map.of("winner", "second-" + resourceVersion)).build()).update())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
        assertThat(configMaps(loser).withName(base.getMetadata().getName()).get().getData())
                .containsEntry("winner", "first-" + resourceVersion);
    }

    private static int updateStatus(KubernetesClient client, ConfigMap base, String winner, CountDownLatch go) {
        try {
            go.await();
            configMaps(client).resource(new ConfigMapBuilder(base).withData(Map.of("winner", winner)).build()).update();
            return 200;
        } catch (KubernetesClientException e) {
            return e.getCode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** A consistent list (no resourceVersion) through {@code client} holds {@code written} as written, or later. */
    private static void assertListedBy(KubernetesClient client, ConfigMap written) {
        long revision = Long.parseLong(written.getMetadata().getResourceVersion());
        ConfigMapList list = configMaps(client).list();
        assertThat(Long.parseLong(list.getMetadata().getResourceVersion()))
                .as("resourceVersion of the other server's list after writing %s", written.getMetadata().getName())
                .isGreaterThanOrEqualTo(revision);
        assertThat(list.getItems()).as("the other server's list after writing %s at %d",
                        written.getMetadata().getName(), revision)
                .anySatisfy(item -> {
                    assertThat(item.getMetadata().getName()).isEqualTo(written.getMetadata().getName());
                    assertThat(item.getMetadata().getResourceVersion()).isEqualTo(written.getMetadata().getResourceVersion());
                    assertThat(item.getData()).isEqualTo(written.getData());
                });
    }

    private static NonNamespaceOperation<ConfigMap, ConfigMapList, Resource<ConfigMap>> configMaps(
            KubernetesClient client) {
        return client.configMaps().inNamespace(NAMESPACE);
    }

    private static ConfigMap configMap(String name, Map<String, String> data) {
        return new ConfigMapBuilder().withNewMetadata().withName(name).endMetadata().withData(data).build();
    }

    private static WatchRecorder.Seen seen(String type, ConfigMap object) {
        return new WatchRecorder.Seen(type, object.getMetadata().getName(),
                Long.parseLong(object.getMetadata().getResourceVersion()));
    }

    private static Watch watch(KubernetesClient client, String fromResourceVersion, WatchRecorder recorder) {
        return recorder.watch(configMaps(client), fromResourceVersion);
    }
}
