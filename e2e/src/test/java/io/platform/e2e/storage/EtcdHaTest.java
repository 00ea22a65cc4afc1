package io.platform.e2e.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API server on a 3-member etcd cluster keeps serving when the leader dies: writer threads
 * create ConfigMaps while the leader is killed with SIGKILL; writes succeed again after a short
 * election (the longest time without an acknowledged create is measured), nothing acknowledged is
 * lost, a watch opened before the kill delivers every create once and in order, and the member,
 * started again, catches up with the others.
 */
class EtcdHaTest {

    private static final String NAMESPACE = "ha";
    private static final String PREFIX = "/registry/configmaps/" + NAMESPACE + "/";
    private static final int WRITERS = 2;
    private static final int MAX_CREATES_PER_WRITER = 10_000;
    /** Acknowledged creates in each phase: before the kill, with a member down, after its restart. */
    private static final int CREATES_PER_PHASE = 100;
    /** An election takes about a second (etcd's default 1 s election timeout); more is an outage. */
    private static final Duration LONGEST_ACCEPTABLE_GAP = Duration.ofSeconds(10);
    private static final Duration PHASE_TIMEOUT = Duration.ofSeconds(40);

    // kept when the test fails: the API servers' logs are in it
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void apiServerKeepsServingAndLosesNothingWhenTheEtcdLeaderIsKilled() {
        Path jar = PlatformJar.require();
        try (EtcdCluster etcd = EtcdCluster.start(3);
                ApiServerProcess server = new ApiServerProcess(jar, dir.resolve("data"), etcd.storeUrl())) {
            server.start();
            try (KubernetesClient client = server.client()) {
                client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE)
                        .endMetadata().build()).create();
                // the API server's own watch of the store must survive the member too
                WatchRecorder watched = new WatchRecorder();
                Watch watch = watched.watch(client.configMaps().inNamespace(NAMESPACE),
                        client.configMaps().inNamespace(NAMESPACE).list().getMetadata().getResourceVersion());
                ConfigMapWriters writers = new ConfigMapWriters(client, NAMESPACE, WRITERS, MAX_CREATES_PER_WRITER);
                long killedAt;
                long restartedAt;
                int victim;
                try (writers) {
                    writers.start();
                    awaitAcknowledged(writers, CREATES_PER_PHASE, "before the kill");
                    victim = etcd.leader();
                    assertThat(victim).as("the cluster's leader").isNotNegative();
                    killedAt = System.nanoTime();
                    etcd.kill(victim);
                    awaitAcknowledged(writers, writers.acknowledgedCount() + CREATES_PER_PHASE,
                            "with leader " + etcd.name(victim) + " killed");
                    restartedAt = System.nanoTime();
                    etcd.restart(victim);
                    awaitAcknowledged(writers, writers.acknowledgedCount() + CREATES_PER_PHASE,
                            "after restarting " + etcd.name(victim));
                }
                long stoppedAt = System.nanoTime();
                Duration gapWhileDown = writers.longestGap(killedAt, restartedAt);
                Duration gapAfterRestart = writers.longestGap(restartedAt, stoppedAt);

                Map<String, ConfigMap> stored = client.configMaps().inNamespace(NAMESPACE).list().getItems().stream()
                        .collect(Collectors.toMap(c -> c.getMetadata().getName(), Function.identity()));
                List<ConfigMapWriters.Ack> acknowledged = writers.acknowledged();
                List<String> lost = acknowledged.stream().map(ConfigMapWriters.Ack::name)
                        .filter(name -> !stored.containsKey(name)).toList();
                System.out.printf("etcd HA: killed leader %s after %d creates; creates acknowledged %d, lost %d,"
                                + " errors %d, unanswered %d; longest gap between acknowledged creates: %d ms with"
                                + " the member down, %d ms after its restart (%d ms down); last failure: %s%n",
                        etcd.name(victim), CREATES_PER_PHASE, acknowledged.size(), lost.size(), writers.errors(),
                        writers.unanswered(), gapWhileDown.toMillis(), gapAfterRestart.toMillis(),
                        Duration.ofNanos(restartedAt - killedAt).toMillis(), writers.lastFailure());

                assertThat(lost).as("acknowledged creates missing").isEmpty();
                for (ConfigMapWriters.Ack ack : acknowledged) {
                    assertThat(stored.get(ack.name()).getMetadata().getResourceVersion()).as(ack.name())
                            .isEqualTo(ack.resourceVersion());
                }
                assertThat(gapWhileDown).as("longest time without an acknowledged create with a member down")
                        .isLessThan(LONGEST_ACCEPTABLE_GAP);
                assertThat(gapAfterRestart).as("longest time without an acknowledged create after the restart")
                        .isLessThan(LONGEST_ACCEPTABLE_GAP);

                await("the watch opened before the kill delivers every stored create").atMost(Duration.ofSeconds(20))
                        .until(() -> watched.failed() || watched.events().size() >= stored.size());
                watch.close();
                watched.assertOpenAndInRevisionOrder("watch through the kill");
                assertThat(watched.events()).as("watch through the kill: every stored ConfigMap once, as created")
                        .allSatisfy(event -> assertThat(event.type()).isEqualTo("ADDED"))
                        .extracting(WatchRecorder.Seen::name, WatchRecorder.Seen::resourceVersion)
                        .containsExactlyInAnyOrderElementsOf(stored.values().stream()
                                .map(c -> tuple(c.getMetadata().getName(),
                                        Long.parseLong(c.getMetadata().getResourceVersion())))
                                .toList());

                int other = (victim + 1) % 3;
                await("restarted member " + etcd.name(victim) + " catches up with " + etcd.name(other))
                        .atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                        .untilAsserted(() -> {
                            EtcdCluster.MemberState caughtUp = etcd.state(victim, PREFIX);
                            assertThat(caughtUp).isEqualTo(etcd.state(other, PREFIX));
                            assertThat(caughtUp.keys()).isEqualTo(stored.size());
                        });
            }
        }
    }

    private static void awaitAcknowledged(ConfigMapWriters writers, int count, String phase) {
        try {
            await(count + " acknowledged creates " + phase).atMost(PHASE_TIMEOUT).pollInterval(Duration.ofMillis(20))
                    .until(() -> writers.acknowledgedCount() >= count);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + " (" + writers.acknowledgedCount() + " acknowledged, "
                    + writers.errors() + " errors, " + writers.unanswered() + " unanswered; last failure: "
                    + writers.lastFailure() + ")", e);
        }
    }
}
