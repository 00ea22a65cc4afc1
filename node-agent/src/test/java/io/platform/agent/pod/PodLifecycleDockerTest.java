package io.platform.agent.pod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.platform.agent.testing.AgentCluster;
import io.platform.api.testing.CommandResult;
import io.platform.agent.testing.RequiresDockerEngine;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The kubelet's pod lifecycle on a real Docker engine: init containers in order, native sidecars, liveness and
 * readiness probes, postStart and preStop hooks within the grace period, termination messages, growing
 * CrashLoopBackOff delays and ephemeral containers added by {@code kubectl debug}.
 */
@RequiresDockerEngine
class PodLifecycleDockerTest {

    private static final String NODE = "lifecycle-node";
    private static final String NS = "default";
    /** A busybox httpd on {@code port} serving {@code /www}, with a CGI script per hook that leaves a marker file. */
    private static final String HOOK_SERVER = """
            mkdir -p /www/cgi-bin
            for hook in poststart prestop; do
              printf '#!/bin/sh\\ntouch /www/%s-ran\\nprintf "Content-Type: text/plain\\\\r\\\\n\\\\r\\\\nok"\\n' $hook > /www/cgi-bin/$hook
              chmod +x /www/cgi-bin/$hook
            done
            trap 'exit 0' TERM
            httpd -f -p 8081 -h /www &
            wait
            """;

    private static AgentCluster cluster;
    private static KubernetesClient client;
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeAll
    static void start() {
        // back-off starts over after 3 s of running here (the kubelet's 10 min), so the reset is observable
        cluster = AgentCluster.start(NODE, Map.of("platform.agent.runtime", "docker",
                "platform.agent.restart-back-off.reset-after", "3s"));
        client = cluster.client();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void initContainersRunOneAfterTheOtherBeforeTheApp() {
        create(new PodBuilder().withNewMetadata().withName("init-order").endMetadata()
                .withSpec(new PodSpecBuilder()
                        .addToInitContainers(container("first", "sleep 2"), container("second", "sleep 2"))
                        .addToContainers(container("app", "sleep 3600"))
                        .build())
                .build());

        Pod initializing = awaitPod("init-order", p -> condition(p, "Initialized").map(c -> c.getStatus().equals("False")).orElse(false));
        assertThat(condition(initializing, "Initialized").orElseThrow().getReason()).isEqualTo("ContainersNotInitialized");
        assertThat(initializing.getStatus().getPhase()).isEqualTo("Pending");

        Pod running = awaitPod("init-order", p -> "Running".equals(p.getStatus().getPhase())
                && status(p, "app").getState().getRunning() != null);
        ContainerStateTerminated first = initStatus(running, "first").getState().getTerminated();
        ContainerStateTerminated second = initStatus(running, "second").getState().getTerminated();
        assertThat(first.getReason()).isEqualTo("Completed");
        assertThat(second.getReason()).isEqualTo("Completed");
        assertThat(Instant.parse(second.getStartedAt())).isAfterOrEqualTo(Instant.parse(first.getFinishedAt()));
        assertThat(Instant.parse(first.getFinishedAt())).isAfterOrEqualTo(Instant.parse(first.getStartedAt()).plusSeconds(1));
        assertThat(Instant.parse(status(running, "app").getState().getRunning().getStartedAt()))
                .isAfterOrEqualTo(Instant.parse(second.getFinishedAt()));
        assertThat(initStatus(running, "first").getReady()).isTrue();
        assertThat(condition(running, "Initialized").orElseThrow().getStatus()).isEqualTo("True");
        assertThat(running.getStatus().getQosClass()).isEqualTo("BestEffort");
        delete("init-order");
    }

    @Test
    void aNativeSidecarRunsBesideTheAppAndStopsAfterIt() {
        create(new PodBuilder().withNewMetadata().withName("sidecar").endMetadata()
                .withSpec(new PodSpecBuilder().withRestartPolicy("Never").withTerminationGracePeriodSeconds(5L)
                        .addToInitContainers(new ContainerBuilder(container("side",
                                "trap 'exit 0' TERM; while true; do sleep 1; done")).withRestartPolicy("Always").build())
                        .addToContainers(container("app", "sleep 5"))
                        .build())
                .build());

        Pod together = awaitPod("sidecar", p -> p.getStatus().getContainerStatuses() != null
                && status(p, "app").getState().getRunning() != null);
        assertThat(initStatus(together, "side").getState().getRunning()).isNotNull();
        assertThat(initStatus(together, "side").getStarted()).isTrue();
        assertThat(together.getStatus().getPhase()).isEqualTo("Running");

        Pod done = awaitPod("sidecar", p -> "Succeeded".equals(p.getStatus().getPhase()));
        ContainerStateTerminated app = status(done, "app").getState().getTerminated();
        ContainerStateTerminated side = initStatus(done, "side").getState().getTerminated();
        assertThat(app.getReason()).isEqualTo("Completed");
        assertThat(side).isNotNull();
        assertThat(Instant.parse(side.getFinishedAt())).isAfterOrEqualTo(Instant.parse(app.getFinishedAt()));
        assertThat(initStatus(done, "side").getRestartCount()).isZero();
        delete("sidecar");
    }

    @Test
    void aFailingLivenessProbeRestartsTheContainer() {
        create(new PodBuilder().withNewMetadata().withName("liveness").endMetadata()
                .withSpec(new PodSpecBuilder().withTerminationGracePeriodSeconds(2L)
                        .addToContainers(new ContainerBuilder(container("app",
                                "mkdir -p /www; echo ok > /www/healthz; (sleep 5; rm /www/healthz) & exec httpd -f -p 8080 -h /www"))
                                .withLivenessProbe(new ProbeBuilder().withNewHttpGet().withPath("/healthz")
                                        .withPort(new IntOrString(8080)).endHttpGet()
                                        .withPeriodSeconds(1).withFailureThreshold(2).build())
                                .build())
                        .build())
                .build());

        Pod restarted = awaitPod("liveness", p -> p.getStatus().getContainerStatuses() != null
                && status(p, "app").getRestartCount() >= 1 && status(p, "app").getState().getRunning() != null);
        ContainerStatus app = status(restarted, "app");
        assertThat(app.getLastState().getTerminated()).isNotNull();
        assertThat(app.getLastState().getTerminated().getExitCode()).isNotZero();
        assertThat(events("liveness", "Killing")).anySatisfy(event -> {
            assertThat(event.getReason()).isEqualTo("Killing");
            assertThat(event.getMessage()).contains("liveness probe");
        });
        delete("liveness");
    }

    @Test
    void aFailingReadinessProbeTurnsThePodNotReadyAndBack() {
        create(new PodBuilder().withNewMetadata().withName("readiness").endMetadata()
                .withSpec(new PodSpecBuilder().withTerminationGracePeriodSeconds(1L)
                        .addToContainers(new ContainerBuilder(container("app", """
                                mkdir -p /www
                                (while true; do echo ok > /www/ready; sleep 6; rm -f /www/ready; sleep 6; done) &
                                exec httpd -f -p 8080 -h /www"""))
                                .withReadinessProbe(new ProbeBuilder().withNewHttpGet().withPath("/ready")
                                        .withPort(new IntOrString(8080)).endHttpGet()
                                        .withPeriodSeconds(1).withFailureThreshold(1).build())
                                .build())
                        .build())
                .build());

        awaitReady("readiness", "True");
        Pod notReady = awaitReady("readiness", "False");
        assertThat(status(notReady, "app").getReady()).isFalse();
        assertThat(status(notReady, "app").getRestartCount()).isZero();
        assertThat(notReady.getStatus().getPhase()).isEqualTo("Running");
        assertThat(condition(notReady, "Ready").orElseThrow().getMessage()).isEqualTo("containers with unready status: [app]");
        awaitReady("readiness", "True");
        assertThat(cluster.kubectl("1.32").ok("get", "pod", "readiness", "-n", NS,
                "-o", "jsonpath={.status.containerStatuses[0].restartCount}")).isEqualTo("0");
        delete("readiness");
    }

    @Test
    void hooksRunAfterStartAndBeforeAGracefulStopThatWaitsForTheGracePeriod() throws Exception {
        create(new PodBuilder().withNewMetadata().withName("hooks").endMetadata()
                .withSpec(new PodSpecBuilder().withTerminationGracePeriodSeconds(6L)
                        .addToInitContainers(new ContainerBuilder(container("marker", HOOK_SERVER)).withRestartPolicy("Always").build())
                        .addToContainers(new ContainerBuilder(container("app", "trap '' TERM; while true; do sleep 1; done"))
                                .withNewLifecycle()
                                .withNewPostStart().withNewHttpGet().withPath("/cgi-bin/poststart")
                                .withPort(new IntOrString(8081)).endHttpGet().endPostStart()
                                .withNewPreStop().withNewHttpGet().withPath("/cgi-bin/prestop")
                                .withPort(new IntOrString(8081)).endHttpGet().endPreStop()
                                .endLifecycle()
                                .build())
                        .build())
                .build());
        Pod running = awaitPod("hooks", p -> p.getStatus().getContainerStatuses() != null
                && status(p, "app").getState().getRunning() != null);
        String base = "http://" + running.getStatus().getPodIP() + ":8081/";
        assertThat(get(base + "poststart-ran")).isEqualTo(200);
        assertThat(get(base + "prestop-ran")).isEqualTo(404);

        Instant deleted = Instant.now();
        client.pods().inNamespace(NS).withName("hooks").delete();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200))
                .until(() -> get(base + "prestop-ran") == 200);
        await().atMost(Duration.ofSeconds(30)).until(() -> client.pods().inNamespace(NS).withName("hooks").get() == null);
        // the app ignores SIGTERM: only SIGKILL at the end of the grace period stops it
        assertThat(Duration.between(deleted, Instant.now())).isGreaterThanOrEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void aFailingPostStartHookKillsTheContainerAndTheRestartPolicyRestartsIt() {
        create(new PodBuilder().withNewMetadata().withName("poststart-fails").endMetadata()
                .withSpec(new PodSpecBuilder().withTerminationGracePeriodSeconds(1L)
                        .addToContainers(new ContainerBuilder(container("app", "sleep 3600"))
                                .withNewLifecycle().withNewPostStart().withNewHttpGet().withPath("/")
                                .withPort(new IntOrString(9)).endHttpGet().endPostStart().endLifecycle()
                                .build())
                        .build())
                .build());

        awaitPod("poststart-fails", p -> p.getStatus().getContainerStatuses() != null
                && status(p, "app").getRestartCount() >= 1);
        assertThat(events("poststart-fails", "FailedPostStartHook")).anySatisfy(event -> assertThat(event.getReason()).isEqualTo("FailedPostStartHook"));
        delete("poststart-fails");
    }

    @Test
    void terminationMessagesComeFromTheFileOrTheLogTail() {
        create(new PodBuilder().withNewMetadata().withName("messages").endMetadata()
                .withSpec(new PodSpecBuilder().withRestartPolicy("Never")
                        .addToContainers(container("file", "printf 'bye now' > /dev/termination-log; exit 3"),
                                new ContainerBuilder(container("logs", "echo first; echo last words; exit 2"))
                                        .withTerminationMessagePolicy("FallbackToLogsOnError").build(),
                                new ContainerBuilder(container("custom", "printf custom > /tmp/message"))
                                        .withTerminationMessagePath("/tmp/message").build())
                        .build())
                .build());

        Pod failed = awaitPod("messages", p -> "Failed".equals(p.getStatus().getPhase()));
        ContainerStateTerminated file = status(failed, "file").getState().getTerminated();
        assertThat(file.getExitCode()).isEqualTo(3);
        assertThat(file.getReason()).isEqualTo("Error");
        assertThat(file.getMessage()).isEqualTo("bye now");
        assertThat(status(failed, "logs").getState().getTerminated().getMessage()).isEqualTo("first\nlast words\n");
        assertThat(status(failed, "custom").getState().getTerminated().getReason()).isEqualTo("Completed");
        assertThat(status(failed, "custom").getState().getTerminated().getMessage()).isEqualTo("custom");
        delete("messages");
    }

    @Test
    void crashLoopBackOffDelaysDouble() {
        create(new PodBuilder().withNewMetadata().withName("backoff").endMetadata()
                .withSpec(new PodSpecBuilder().addToContainers(container("app", "exit 1")).build())
                .build());

        List<String> delays = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            Pod pod = client.pods().inNamespace(NS).withName("backoff").get();
            if (pod != null && pod.getStatus() != null && pod.getStatus().getContainerStatuses() != null
                    && !pod.getStatus().getContainerStatuses().isEmpty()) {
                ContainerStatus app = status(pod, "app");
                if (app.getState().getWaiting() != null && "CrashLoopBackOff".equals(app.getState().getWaiting().getReason())) {
                    String delay = app.getState().getWaiting().getMessage().split(" ")[1];
                    if (delays.isEmpty() || !delays.getLast().equals(delay)) {
                        delays.add(delay);
                    }
                }
            }
            return delays.contains("4s");
        });
        // the test cluster's back-off: 1 s doubling to 4 s
        assertThat(delays).startsWith("1s", "2s", "4s");
        String shown = cluster.kubectl("1.32").ok("get", "pod", "backoff", "-n", NS, "--no-headers");
        assertThat(shown).containsAnyOf("CrashLoopBackOff", "Error");
        delete("backoff");
    }

    @Test
    void aContainerThatRanLongerThanTheResetTimeRestartsWithoutBackOff() {
        create(new PodBuilder().withNewMetadata().withName("long-runner").endMetadata()
                .withSpec(new PodSpecBuilder().addToContainers(container("app", "sleep 4; exit 1")).build())
                .build());

        List<String> reasons = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            Pod pod = client.pods().inNamespace(NS).withName("long-runner").get();
            if (pod == null || pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null
                    || pod.getStatus().getContainerStatuses().isEmpty()) {
                return false;
            }
            ContainerStatus app = status(pod, "app");
            if (app.getState().getWaiting() != null) {
                reasons.add(app.getState().getWaiting().getReason());
            }
            return app.getRestartCount() >= 3;
        });
        // each run lasted longer than reset-after: every restart is the back-off's first, which passes at once
        assertThat(reasons).doesNotContain("CrashLoopBackOff");
        delete("long-runner");
    }

    @Test
    void kubectlDebugStartsAnEphemeralContainerBesideTheTarget() {
        create(new PodBuilder().withNewMetadata().withName("debug-me").endMetadata()
                .withSpec(new PodSpecBuilder().withTerminationGracePeriodSeconds(1L)
                        .addToContainers(container("app", "sleep 3600")).build())
                .build());
        awaitPod("debug-me", p -> "Running".equals(p.getStatus().getPhase()));

        for (String minor : List.of("1.32", "1.33")) {
            if (AgentCluster.hasKubectl(minor)) {
                cluster.kubectl(minor).ok("debug", "debug-me", "-n", NS, "--image=busybox:1.35", "--target=app",
                        "--container=debugger-" + minor.replace(".", ""), "--", "sh", "-c", "ps -o pid,args; sleep 3600");
            }
        }

        Pod debugged = awaitPod("debug-me", p -> p.getStatus().getEphemeralContainerStatuses() != null
                && !p.getStatus().getEphemeralContainerStatuses().isEmpty()
                && p.getStatus().getEphemeralContainerStatuses().stream().allMatch(s -> s.getState().getRunning() != null));
        assertThat(debugged.getSpec().getEphemeralContainers()).extracting(c -> c.getTargetContainerName()).containsOnly("app");
        assertThat(debugged.getStatus().getEphemeralContainerStatuses()).allSatisfy(s -> {
            assertThat(s.getReady()).isFalse();
            assertThat(s.getRestartCount()).isZero();
        });
        assertThat(condition(debugged, "Ready").orElseThrow().getStatus()).isEqualTo("True");
        // --target: the debugger shares the app's process namespace, whose first process is the app's
        String processes = await().atMost(Duration.ofSeconds(10)).until(() -> client.pods().inNamespace(NS).withName("debug-me")
                .inContainer(debugged.getSpec().getEphemeralContainers().getFirst().getName()).getLog(), log -> log.contains("sleep"));
        assertThat(processes.lines().filter(line -> line.trim().startsWith("1 "))).singleElement()
                .satisfies(line -> assertThat(line).contains("sleep 3600").doesNotContain("ps -o"));

        // kubectl debug -i: the new ephemeral container is attached to, stdin passed on and its output shown
        CommandResult interactive = cluster.kubectl("1.32").run(Map.of(), "hello\n", "debug", "-i", "debug-me", "-n", NS,
                "--image=busybox:1.35", "--container=interactive", "--", "sh", "-c", "read line; echo got-$line");
        assertThat(interactive.exitCode()).as(interactive.stderr()).isZero();
        assertThat(interactive.stdout()).contains("got-hello");
        delete("debug-me");
    }

    private static io.fabric8.kubernetes.api.model.Container container(String name, String script) {
        return new ContainerBuilder().withName(name).withImage("busybox:1.35").withCommand("sh", "-c", script).build();
    }

    private static void create(Pod pod) {
        pod.getMetadata().setNamespace(NS);
        pod.getSpec().setNodeName(NODE);
        client.pods().inNamespace(NS).resource(pod).create();
    }

    private static void delete(String name) {
        client.pods().inNamespace(NS).withName(name).withGracePeriod(0).delete();
    }

    private static Pod awaitPod(String name, Predicate<Pod> condition) {
        // statuses fill in over several syncs: a container not listed yet just means not yet
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> client.pods().inNamespace(NS).withName(name).get(),
                        pod -> pod != null && pod.getStatus() != null && pod.getStatus().getPhase() != null && condition.test(pod));
    }

    private static Pod awaitReady(String name, String ready) {
        return awaitPod(name, p -> condition(p, "Ready").map(c -> c.getStatus().equals(ready)).orElse(false));
    }

    private static Optional<PodCondition> condition(Pod pod, String type) {
        return pod.getStatus().getConditions() == null ? Optional.empty()
                : pod.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    private static ContainerStatus status(Pod pod, String name) {
        return pod.getStatus().getContainerStatuses().stream().filter(s -> s.getName().equals(name)).findFirst().orElseThrow();
    }

    private static ContainerStatus initStatus(Pod pod, String name) {
        return pod.getStatus().getInitContainerStatuses().stream().filter(s -> s.getName().equals(name)).findFirst().orElseThrow();
    }

    /** The pod's events once one with {@code reason} was written (the recorder writes in the background). */
    private static List<Event> events(String pod, String reason) {
        return await().atMost(Duration.ofSeconds(10)).until(() -> client.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> pod.equals(e.getInvolvedObject().getName()))
                .toList(), list -> list.stream().anyMatch(e -> reason.equals(e.getReason())));
    }

    private static int get(String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
