package io.platform.agent.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.platform.agent.docker.ClusterContainers;
import io.platform.agent.runtime.ContainerRuntime;
import io.platform.agent.runtime.ExecRequest;
import io.platform.agent.runtime.ExecSession;
import io.platform.agent.testing.AgentCluster;
import io.platform.agent.volume.AtomicVolumeWriter;
import io.platform.api.testing.CommandResult;
import io.platform.api.testing.Kubectl;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The process runtime under a real API server and agent, driven through the real kubectl: what every mode shares
 * (logs, restarts with back-off, graceful deletion, re-adoption after an agent restart, env, exec, the Node's label
 * and condition). Subclasses choose isolated (root) or plain host processes and add what only their mode does.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ProcessRuntimeScenarios {

    static final String NS = "default";

    AgentCluster cluster;
    Kubectl kubectl;
    Path marks;
    final String bridge = "ptb" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());

    /** {@code platform.agent.process.isolate} of this mode. */
    abstract boolean isolate();

    /** Checks the pod's address as this mode gives it. */
    abstract void assertPodAddress(String podIp);

    @BeforeAll
    void startCluster() throws IOException {
        marks = Files.createTempDirectory("process-runtime-marks");
        Map<String, Object> properties = new HashMap<>();
        properties.put("platform.agent.runtime", "process");
        properties.put("platform.agent.process.isolate", isolate());
        properties.put("platform.agent.process.bridge", bridge);
        properties.put("platform.agent.process.pod-cidr", "10.213.0.0/16");
        properties.put("platform.agent.process.exit-poll-interval", "200ms");
        properties.put("platform.agent.process.log-poll-interval", "100ms");
        cluster = AgentCluster.start("process-node", properties);
        kubectl = cluster.kubectl("1.32");
    }

    @AfterAll
    void stopCluster() throws IOException {
        if (cluster != null) {
            cluster.stopAgent();
            ProcessRuntimeCleanup.removeEverything(cluster.rootDir(), bridge);
            cluster.close();
        }
        if (marks != null) {
            AtomicVolumeWriter.deleteTree(marks);
        }
    }

    @Test
    void aPodRunsItsCommandAndKubectlReadsItsLogs() {
        apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: hello}
                spec:
                  nodeName: %s
                  containers:
                  - name: app
                    image: busybox:1.35
                    command: [/bin/sh, -c, 'echo hello; sleep 0.3; echo to-stderr >&2; exec sleep 1000']
                """);
        kubectl.ok("wait", "--for=condition=Ready", "pod/hello", "--timeout=60s");
        await().atMost(Duration.ofSeconds(20)).until(() -> kubectl.run("logs", "hello").stdout(), "hello\nto-stderr\n"::equals);
        assertThat(kubectl.ok("logs", "hello", "--tail=1")).isEqualTo("to-stderr\n");
        for (String minor : List.of("1.30", "1.33")) {
            if (AgentCluster.hasKubectl(minor)) {
                assertThat(cluster.kubectl(minor).ok("logs", "hello", "--tail=1")).as("kubectl " + minor).isEqualTo("to-stderr\n");
            }
        }
        assertThat(kubectl.ok("logs", "hello", "--timestamps")).matches(
                "(?s)\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d+Z hello\n\\S+Z to-stderr\n");
        assertThat(jsonpath("hello", "{.status.containerStatuses[0].containerID}")).startsWith("process://");
        assertThat(jsonpath("hello", "{.status.containerStatuses[0].image}")).isEqualTo("busybox:1.35");
        assertPodAddress(jsonpath("hello", "{.status.podIP}"));
    }

    @Test
    void followingALogShowsNewLinesAsTheyAreWritten() throws Exception {
        apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: ticker}
                spec:
                  nodeName: %s
                  containers:
                  - name: app
                    image: busybox:1.35
                    command: [/bin/sh, -c, 'i=0; while true; do i=$((i+1)); echo tick-$i; sleep 0.2; done']
                """);
        kubectl.ok("wait", "--for=condition=Ready", "pod/ticker", "--timeout=60s");
        try (var follow = kubectl.start("logs", "-f", "ticker", "--tail=1")) {
            await().atMost(Duration.ofSeconds(20)).until(follow::stdout, out -> out.lines().count() >= 5);
            List<String> lines = follow.stdout().lines().toList();
            int first = Integer.parseInt(lines.getFirst().substring("tick-".length()));
            for (int i = 1; i < 5; i++) {
                assertThat(lines.get(i)).isEqualTo("tick-" + (first + i));
            }
        }
    }

    @Test
    void aCrashingContainerRestartsWithBackOffAndKeepsThePreviousLog() {
        apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: crash}
                spec:
                  nodeName: %s
                  containers:
                  - name: app
                    image: busybox:1.35
                    command: [/bin/sh, -c, 'echo "run at $(date +%%s%%N)"; exit 3']
                """);
        await("back-off").atMost(Duration.ofSeconds(30)).until(() -> waitingMessage("crash").contains("back-off 2s"));
        assertThat(jsonpath("crash", "{.status.containerStatuses[0].state.waiting.reason}")).isEqualTo("CrashLoopBackOff");
        assertThat(jsonpath("crash", "{.status.containerStatuses[0].lastState.terminated.exitCode}")).isEqualTo("3");
        assertThat(jsonpath("crash", "{.status.containerStatuses[0].lastState.terminated.reason}")).isEqualTo("Error");
        assertThat(Integer.parseInt(jsonpath("crash", "{.status.containerStatuses[0].restartCount}"))).isGreaterThanOrEqualTo(1);
        assertThat(kubectl.ok("logs", "crash", "--previous")).startsWith("run at ");
    }

    @Test
    void deletionSendsSigtermWhichTheProcessMayHonour() throws IOException {
        Path mark = marks.resolve("term-seen");
        apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: polite}
                spec:
                  nodeName: %s
                  terminationGracePeriodSeconds: 60
                  containers:
                  - name: app
                    image: busybox:1.35
                    command: [/bin/sh, -c, 'trap "echo term > %s; exit 0" TERM; while true; do sleep 0.2; done']
                """.formatted("%s", mark));
        kubectl.ok("wait", "--for=condition=Ready", "pod/polite", "--timeout=60s");
        String uid = jsonpath("polite", "{.metadata.uid}");
        long started = System.nanoTime();
        kubectl.ok("delete", "pod", "polite", "--wait=true", "--timeout=60s");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
        assertThat(Files.readString(mark).strip()).isEqualTo("term");
        assertNothingLeftOf(uid);
    }

    @Test
    void aProcessIgnoringSigtermIsKilledWhenTheGracePeriodEnds() {
        apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: stubborn}
                spec:
                  nodeName: %s
                  terminationGracePeriodSeconds: 3
                  containers:
                  - name: app
                    image: busybox:1.35
                    command: [/bin/sh, -c, 'trap "" TERM; while true; do sleep 0.2; done']
                """);
        kubectl.ok("wait", "--for=condition=Ready", "pod/stubborn", "--timeout=60s");
        String uid = jsonpath("stubborn", "{.metadata.uid}");
        InstanceRecord record = record("stubborn", "app");
        long started = System.nanoTime();
        kubectl.ok("delete", "pod", "stubborn", "--wait=true", "--timeout=60s");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(30));
        assertThat(ProcStat.alive(record.pid(), record.pidStart())).isFalse();
        assertNothingLeftOf(uid);
    }

    @Test
    void aRestartedAgentAdoptsItsRunningProcessesAndCleansUpPodsDeletedMeanwhile() {
        apply(sleeper("keeper"));
        apply(sleeper("doomed"));
        kubectl.ok("wait", "--for=condition=Ready", "pod/keeper", "pod/doomed", "--timeout=60s");
        InstanceRecord keeper = record("keeper", "app");
        InstanceRecord doomed = record("doomed", "app");
        String doomedUid = jsonpath("doomed", "{.metadata.uid}");

        cluster.stopAgent();
        cluster.client().pods().inNamespace(NS).withName("doomed").withGracePeriod(0).delete();
        await().atMost(Duration.ofSeconds(20)).until(() -> cluster.client().pods().inNamespace(NS).withName("doomed").get() == null);
        assertThat(ProcStat.alive(doomed.pid(), doomed.pidStart())).as("runs on while the agent is down").isTrue();
        cluster.startAgent();

        await("the deleted pod's process stopped and its state removed").atMost(Duration.ofSeconds(30))
                .until(() -> !ProcStat.alive(doomed.pid(), doomed.pidStart()) && records(doomedUid).isEmpty());
        assertNothingLeftOf(doomedUid);
        kubectl.ok("wait", "--for=condition=Ready", "pod/keeper", "--timeout=30s");
        assertThat(record("keeper", "app").pid()).as("the same process, adopted").isEqualTo(keeper.pid());
        assertThat(ProcStat.alive(keeper.pid(), keeper.pidStart())).isTrue();
        assertThat(records(keeper.podUid()).stream().filter(r -> r.container().equals("app")).count()).isEqualTo(1);
        assertThat(jsonpath("keeper", "{.status.containerStatuses[0].restartCount}")).isEqualTo("0");
    }

    @Test
    void aConfigMapReachesTheEnvironmentAndExecRunsWithIt() throws Exception {
        kubectl.ok("create", "configmap", "greetings", "--from-literal=GREETING=bonjour", "--from-literal=name=world");
        apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: configured}
                spec:
                  nodeName: %s
                  containers:
                  - name: app
                    image: busybox:1.35
                    command: [/bin/sh, -c, 'echo "$GREETING $WHO"; exec sleep 1000']
                    env:
                    - {name: GREETING, valueFrom: {configMapKeyRef: {name: greetings, key: GREETING}}}
                    - {name: WHO, valueFrom: {configMapKeyRef: {name: greetings, key: name}}}
                    workingDir: /tmp
                """);
        kubectl.ok("wait", "--for=condition=Ready", "pod/configured", "--timeout=60s");
        await().atMost(Duration.ofSeconds(20)).until(() -> kubectl.run("logs", "configured").stdout(), "bonjour world\n"::equals);

        ContainerRuntime runtime = cluster.agent().getBean(ContainerRuntime.class);
        try (ExecSession exec = runtime.exec(record("configured", "app").id(),
                new ExecRequest(List.of("/bin/sh", "-c", "read line; echo \"$line $GREETING $(pwd)\"; exit 7"), true, true, true, false))) {
            try (OutputStream stdin = exec.stdin()) {
                stdin.write("from-stdin\n".getBytes(StandardCharsets.UTF_8));
            }
            assertThat(new String(exec.stdout().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("from-stdin bonjour /tmp\n");
            assertThat(exec.awaitExit()).isEqualTo(7);
        }
        String id = record("configured", "app").id();
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> runtime.exec(id,
                new ExecRequest(List.of("/bin/sh"), true, true, false, true)))).hasMessageContaining("tty");
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> runtime.attach(id,
                new ExecRequest(List.of(), true, true, true, false)))).hasMessageContaining("cannot attach");
        assertThat(runtime.usage(id)).hasValueSatisfying(usage -> assertThat(usage.memoryWorkingSetBytes()).isPositive());
    }

    @Test
    void aContainerWithoutCommandCannotStartAndSaysWhy() {
        apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: imageonly}
                spec:
                  nodeName: %s
                  containers:
                  - name: app
                    image: nginx:1.27
                """);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> jsonpath("imageonly", "{.status.containerStatuses[0].state.waiting.message}")
                        + jsonpath("imageonly", "{.status.containerStatuses[0].lastState.terminated.message}"),
                        message -> message.contains("no entrypoint to fall back to"));
    }

    @Test
    void theNodeSaysItsContainersAreHostProcesses() {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Node node = cluster.client().nodes().withName(cluster.nodeName()).get();
            assertThat(node.getMetadata().getLabels()).containsEntry("platform.io/runtime", "process");
            NodeCondition isolation = node.getStatus().getConditions().stream()
                    .filter(c -> c.getType().equals("ContainersIsolated")).findFirst().orElseThrow();
            assertThat(isolation.getStatus()).isEqualTo("False");
            assertThat(isolation.getMessage()).contains("host processes");
            assertThat(node.getStatus().getNodeInfo().getContainerRuntimeVersion()).startsWith("process://");
        });
    }

    /** The pod's containers and sandbox are gone from the runtime's state and the host. */
    void assertNothingLeftOf(String uid) {
        await().atMost(Duration.ofSeconds(20)).until(() -> records(uid).isEmpty());
        for (String controller : ContainerCgroups.CONTROLLERS) {
            assertThat(Path.of("/sys/fs/cgroup", controller, "platform", uid)).doesNotExist();
        }
        assertThat(Path.of("/var/run/netns", "platform-" + uid.replace("-", "").substring(0, 12))).doesNotExist();
    }

    List<InstanceRecord> records(String podUid) {
        return new InstanceFiles(cluster.rootDir().toAbsolutePath().resolve("process-runtime")).readAll().stream()
                .filter(r -> r.podUid().equals(podUid))
                .toList();
    }

    /** The latest instance of the pod's container. */
    InstanceRecord record(String pod, String container) {
        return new InstanceFiles(cluster.rootDir().toAbsolutePath().resolve("process-runtime")).readAll().stream()
                .filter(r -> pod.equals(r.labels().get(ClusterContainers.POD_NAME)) && r.container().equals(container))
                .max(java.util.Comparator.comparingInt(InstanceRecord::attempt))
                .orElseThrow(() -> new AssertionError("no instance of " + pod + "/" + container));
    }

    static String sleeper(String name) {
        return """
                apiVersion: v1
                kind: Pod
                metadata: {name: %s}
                spec:
                  nodeName: %%s
                  containers:
                  - name: app
                    image: busybox:1.35
                    command: [sleep, "3600"]
                """.formatted(name);
    }

    /** Applies a manifest whose first {@code %s} is the node name. */
    void apply(String manifest) {
        kubectl.run(Map.of(), manifest.formatted(cluster.nodeName()), "apply", "-n", NS, "-f", "-").requireSuccess();
    }

    String jsonpath(String pod, String path) {
        CommandResult result = kubectl.run("get", "pod", pod, "-n", NS, "-o", "jsonpath=" + path);
        return result.exitCode() == 0 ? result.stdout().strip() : "";
    }

    private String waitingMessage(String pod) {
        return jsonpath(pod, "{.status.containerStatuses[0].state.waiting.message}");
    }
}
