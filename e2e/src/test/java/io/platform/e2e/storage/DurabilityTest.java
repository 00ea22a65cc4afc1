package io.platform.e2e.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * No acknowledged write is lost when the API server dies: writer threads create ConfigMaps while
 * the test kills the API server process with SIGKILL at a random moment; on restart (same data dir
 * and store) every create that was answered 201 is there, unchanged. The moment comes from a seed
 * printed with the figures; {@code -Dplatform.e2e.seed=N} replays it.
 */
class DurabilityTest {

    private static final String NAMESPACE = "durability";
    private static final int WRITERS = 4;
    /** Bounds the writes however slow the kill comes. */
    private static final int MAX_CREATES_PER_WRITER = 5_000;
    /** Acknowledged creates before the kill can come, so there is something to lose. */
    private static final int WARM_UP_CREATES = 20;
    private static final Duration LONGEST_KILL_DELAY = Duration.ofSeconds(3);

    // kept when the test fails: the API servers' logs are in it
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @ParameterizedTest
    @EnumSource(StoreBackend.class)
    void everyAcknowledgedCreateSurvivesSigkillOfTheApiServer(StoreBackend backend) throws Exception {
        Path jar = PlatformJar.require();
        long seed = Long.getLong("platform.e2e.seed", System.nanoTime());
        Duration killDelay = Duration.ofMillis(new Random(seed).nextLong(LONGEST_KILL_DELAY.toMillis() + 1));
        try (StoreBackend.Provisioned store = backend.provision();
                ApiServerProcess server = new ApiServerProcess(jar, dir.resolve("data"), store.url())) {
            server.start();
            ConfigMapWriters writers;
            long killedAt;
            try (KubernetesClient client = server.client();
                    ConfigMapWriters started = new ConfigMapWriters(client, NAMESPACE, WRITERS, MAX_CREATES_PER_WRITER)) {
                writers = started;
                client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE)
                        .endMetadata().build()).create();
                writers.start();
                await("first " + WARM_UP_CREATES + " acknowledged creates").atMost(Duration.ofSeconds(60))
                        .until(() -> started.acknowledgedCount() >= WARM_UP_CREATES || started.lastFailure() != null);
                assertThat(writers.lastFailure()).as("a create failed before the kill").isNull();
                ScheduledExecutorService killer = Executors.newSingleThreadScheduledExecutor();
                try {
                    killer.schedule(server::kill, killDelay.toMillis(), TimeUnit.MILLISECONDS).get();
                } finally {
                    killer.shutdown();
                }
                killedAt = System.nanoTime();
            }

            Duration restart = server.start();
            Duration downtime = Duration.ofNanos(System.nanoTime() - killedAt);
            List<ConfigMapWriters.Ack> acknowledged = writers.acknowledged();
            Map<String, ConfigMap> stored = new HashMap<>();
            try (KubernetesClient client = server.client()) {
                client.configMaps().inNamespace(NAMESPACE).list().getItems()
                        .forEach(configMap -> stored.put(configMap.getMetadata().getName(), configMap));
            }
            List<ConfigMapWriters.Ack> lost = acknowledged.stream()
                    .filter(ack -> !stored.containsKey(ack.name())).toList();
            long storedUnacknowledged = stored.size() - (acknowledged.size() - lost.size());
            System.out.printf("durability [%s]: seed %d, SIGKILL %d ms after %d warm-up creates;"
                            + " creates acknowledged %d, lost %d, errors %d, unanswered %d, stored without acknowledgement %d;"
                            + " restart to ready %d ms (%d ms after the kill)%n",
                    backend.label(), seed, killDelay.toMillis(), WARM_UP_CREATES, acknowledged.size(), lost.size(),
                    writers.errors(), writers.unanswered(), storedUnacknowledged, restart.toMillis(),
                    downtime.toMillis());

            assertThat(lost).as("acknowledged creates missing after the restart (seed %d)", seed).isEmpty();
            for (ConfigMapWriters.Ack ack : acknowledged) {
                ConfigMap configMap = stored.get(ack.name());
                assertThat(configMap.getData()).as(ack.name()).isEqualTo(ack.data());
                assertThat(configMap.getMetadata().getResourceVersion()).as(ack.name())
                        .isEqualTo(ack.resourceVersion());
            }
        }
    }
}
