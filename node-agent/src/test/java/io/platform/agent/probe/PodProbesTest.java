package io.platform.agent.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.platform.agent.runtime.ContainerInstance;
import io.platform.api.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PodProbesTest {

    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    private final HealthServer server = new HealthServer();
    private final MutableClock clock = new MutableClock(START);
    private final FakeRuntime runtime = new FakeRuntime();
    private final List<String> changes = new CopyOnWriteArrayList<>();
    private final PodProbes probes = new PodProbes(runtime, clock, changes::add);

    @AfterEach
    void stop() {
        probes.close();
        server.close();
    }

    private Probe http(String path, int failureThreshold) {
        return new ProbeBuilder().withNewHttpGet().withPath(path).withPort(new IntOrString("http")).endHttpGet()
                .withPeriodSeconds(1).withFailureThreshold(failureThreshold).build();
    }

    private Pod pod(UnaryOperator<ContainerBuilder> probes) {
        return new PodBuilder().withNewMetadata().withNamespace("default").withName("web").withUid("uid-1").endMetadata()
                .withNewSpec().addToContainers(probes.apply(new ContainerBuilder().withName("app").withImage("busybox")
                        .addNewPort().withName("http").withContainerPort(server.port()).endPort()).build())
                .endSpec().build();
    }

    private static List<ContainerInstance> running(String containerId) {
        return List.of(FakeRuntime.container(containerId, "app", START), FakeRuntime.sandbox());
    }

    @Test
    void readinessStartsFalseAndFollowsTheHandler() {
        server.status("/ready", 200);
        probes.update(pod(c -> c.withReadinessProbe(http("/ready", 1))), running("c1"));
        assertThat(probes.ready("c1")).as("false until the first success").isFalse();

        await().atMost(Duration.ofSeconds(5)).until(() -> probes.ready("c1"));
        assertThat(changes).contains("uid-1");

        server.status("/ready", 500);
        await().atMost(Duration.ofSeconds(5)).until(() -> !probes.ready("c1"));
        assertThat(probes.failure("c1")).isEqualTo("Readiness probe failed: HTTP probe failed with statuscode: 500");
        assertThat(probes.unhealthy("c1")).as("readiness never restarts").isNull();

        server.status("/ready", 200);
        await().atMost(Duration.ofSeconds(5)).until(() -> probes.ready("c1"));
        assertThat(probes.failure("c1")).isNull();
    }

    @Test
    void livenessFailingThresholdTimesMakesTheInstanceUnhealthyUntilANewOneRuns() {
        server.status("/live", 500);
        probes.update(pod(c -> c.withLivenessProbe(http("/live", 2))), running("c1"));
        assertThat(probes.unhealthy("c1")).as("healthy until proven otherwise").isNull();
        assertThat(probes.ready("c1")).as("no readiness probe").isTrue();

        await().atMost(Duration.ofSeconds(6)).until(() -> probes.unhealthy("c1") != null);
        assertThat(probes.unhealthy("c1")).isEqualTo("Container app failed liveness probe, will be restarted");
        assertThat(probes.failure("c1")).isEqualTo("Liveness probe failed: HTTP probe failed with statuscode: 500");
        int probed = server.hits("/live");
        await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(4)).until(() -> server.hits("/live") == probed);

        server.status("/live", 200);
        probes.update(pod(c -> c.withLivenessProbe(http("/live", 2))), running("c2"));
        assertThat(probes.unhealthy("c2")).as("a new instance starts over").isNull();
        assertThat(probes.unhealthy("c1")).as("the old instance is forgotten").isNull();
        await().atMost(Duration.ofSeconds(5)).until(() -> server.hits("/live") > probed);
    }

    @Test
    void startupGatesReadinessAndLiveness() {
        server.status("/started", 500);
        server.status("/ready", 200);
        server.status("/live", 200);
        probes.update(pod(c -> c.withStartupProbe(http("/started", 100)).withReadinessProbe(http("/ready", 3))
                .withLivenessProbe(http("/live", 3))), running("c1"));

        await().atMost(Duration.ofSeconds(5)).until(() -> server.hits("/started") >= 2);
        assertThat(probes.started("c1")).isFalse();
        assertThat(probes.ready("c1")).isFalse();
        assertThat(server.hits("/ready") + server.hits("/live")).as("nothing but startup before it succeeds").isZero();

        server.status("/started", 200);
        await().atMost(Duration.ofSeconds(5)).until(() -> probes.started("c1") && probes.ready("c1"));
        int startups = server.hits("/started");
        await().atMost(Duration.ofSeconds(5)).until(() -> server.hits("/live") >= 2);
        assertThat(server.hits("/started")).as("startup stops once it succeeded").isEqualTo(startups);
    }

    @Test
    void theInitialDelayCountsOnTheClockFromTheInstanceStart() {
        server.status("/ready", 200);
        probes.update(pod(c -> c.withReadinessProbe(new ProbeBuilder(http("/ready", 1)).withInitialDelaySeconds(60).build())),
                running("c1"));

        await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(4)).until(() -> server.hits("/ready") == 0);
        assertThat(probes.ready("c1")).isFalse();

        clock.advance(Duration.ofSeconds(60));
        await().atMost(Duration.ofSeconds(5)).until(() -> probes.ready("c1"));
    }

    @Test
    void aTerminatingPodIsNotRestartedForFailingLiveness() {
        server.status("/live", 500);
        Pod pod = pod(c -> c.withLivenessProbe(http("/live", 1)));
        pod.getMetadata().setDeletionTimestamp(START.toString());
        probes.update(pod, running("c1"));

        await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(4)).until(() -> probes.unhealthy("c1") == null);
        assertThat(server.hits("/live")).isZero();
    }

    @Test
    void forgetAndStoppedInstancesEndTheWorkers() {
        server.status("/ready", 200);
        Pod pod = pod(c -> c.withReadinessProbe(http("/ready", 1)));
        probes.update(pod, running("c1"));
        await().atMost(Duration.ofSeconds(5)).until(() -> probes.ready("c1"));

        ContainerInstance exited = new ContainerInstance("c1", "app", 0, "busybox", "exited", false, 1, false, null, START,
                START, START, null);
        probes.update(pod, List.of(exited, FakeRuntime.sandbox()));
        int hits = server.hits("/ready");
        await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(4)).until(() -> server.hits("/ready") == hits);

        probes.update(pod, running("c2"));
        assertThat(probes.ready("c2")).isFalse();
        probes.forget("uid-1");
        assertThat(probes.ready("c2")).as("no longer known").isTrue();
    }
}
