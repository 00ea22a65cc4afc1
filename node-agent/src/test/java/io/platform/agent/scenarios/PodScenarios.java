package io.platform.agent.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.platform.agent.testing.AgentCluster;
import io.platform.api.testing.BackgroundCommand;
import io.platform.api.testing.CommandResult;
import io.platform.api.testing.Kubectl;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What a user sees of the node agent through the real kubectl, the same on every runtime: crash
 * loops with growing back-off and the previous run's logs, init containers, liveness and
 * readiness probes, ConfigMap and Secret env and files (with live updates), exec with stdin and
 * exit codes, port-forward, OOM kills, and graceful deletion with preStop and the grace period.
 * Each container runs {@code /bin/busybox} by path, which the busybox image and the host both have.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class PodScenarios {

    private static final String NS = "default";
    private static final Pattern FORWARDING = Pattern.compile("Forwarding from 127\\.0\\.0\\.1:(\\d+)");

    private AgentCluster cluster;
    private Kubectl kubectl;
    private Path hostDir;

    /** The agent properties choosing the runtime under test. */
    abstract Map<String, Object> runtimeProperties();

    @BeforeAll
    void startCluster() throws IOException {
        hostDir = Files.createTempDirectory("pod-scenarios");
        Map<String, Object> properties = new HashMap<>(runtimeProperties());
        cluster = AgentCluster.start("scenario-node", properties);
        kubectl = cluster.kubectl("1.32");
    }

    @AfterAll
    void stopCluster() throws IOException {
        if (cluster != null) {
            cluster.close();
        }
        if (hostDir != null) {
            io.platform.agent.volume.AtomicVolumeWriter.deleteTree(hostDir);
        }
    }

    @Test
    void aCrashingContainerBacksOffLongerEachTimeAndKeepsItsPreviousLogs() {
        apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: crash}
                spec:
                  nodeName: %s
                  containers:
                  - name: app
                    image: busybox:1.35
                    command: [/bin/busybox, sh, -c, 'echo "run at $(date +%%s)"; exit 3']
                """);
        await("first back-off").atMost(Duration.ofSeconds(30)).until(() -> waitingMessage("crash").contains("back-off 1s"));
        await("doubled back-off").atMost(Duration.ofSeconds(30)).until(() -> waitingMessage("crash").contains("back-off 2s"));
        await("doubled again").atMost(Duration.ofSeconds(30)).until(() -> waitingMessage("crash").contains("back-off 4s"));
        assertThat(jsonpath("crash", "{.status.containerStatuses[0].state.waiting.reason}")).isEqualTo("CrashLoopBackOff");
        assertThat(jsonpath("crash", "{.status.containerStatuses[0].lastState.terminated.exitCode}")).isEqualTo("3");
        assertThat(Integer.parseInt(jsonpath("crash", "{.status.containerStatuses[0].restartCount}"))).isGreaterThanOrEqualTo(2);
        assertThat(kubectl.ok("logs", "crash", "--previous")).startsWith("run at ");
    }

    @Test
    void initContainersRunToCompletionBeforeTheApp() {
        apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: init}
                spec:
                  nodeName: %s
                  volumes: [{name: work, emptyDir: {}}]
                  initContainers:
                  - name: first
                    image: busybox:1.35
                    command: [/bin/busybox, sh, -c, 'echo one > /work/order']
                    volumeMounts: [{name: work, mountPath: /work}]
                  - name: second
                    image: busybox:1.35
                    command: [/bin/busybox, sh, -c, 'echo two >> /work/order']
                    volumeMounts: [{name: work, mountPath: /work}]
                  containers:
                  - name: app
                    image: busybox:1.35
                    command: [/bin/busybox, sh, -c, 'cat /work/order; exec /bin/busybox sleep 3600']
                    volumeMounts: [{name: work, mountPath: /work}]
                """);
        kubectl.ok("wait", "--for=condition=Ready", "pod/init", "--timeout=60s");
        assertThat(jsonpath("init", "{.status.initContainerStatuses[*].state.terminated.reason}")).isEqualTo("Completed Completed");
        await().atMost(Duration.ofSeconds(10)).until(() -> kubectl.run("logs", "init").stdout(), out -> out.equals("one\ntwo\n"));
    }

    @Test
    void aFailingLivenessProbeRestartsTheContainer() {
        apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: liveness}
                spec:
                  nodeName: %s
                  volumes: [{name: state, emptyDir: {}}]
                  containers:
                  - name: app
                    image: busybox:1.35
                    command: [/bin/busybox, sh, -c, 'touch /state/healthy; sleep 3; rm /state/healthy; exec /bin/busybox sleep 3600']
                    volumeMounts: [{name: state, mountPath: /state}]
                    livenessProbe:
                      exec: {command: [/bin/busybox, test, -f, /state/healthy]}
                      periodSeconds: 1
                      failureThreshold: 2
                """);
        await("restarted by liveness").atMost(Duration.ofSeconds(60))
                .until(() -> jsonpath("liveness", "{.status.containerStatuses[0].restartCount}"), count -> !count.isEmpty() && !count.equals("0"));
    }

    @Test
    void readinessFollowsItsProbeBothWays() {
        apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: readiness}
                spec:
                  nodeName: %s
                  volumes: [{name: state, emptyDir: {}}]
                  containers:
                  - name: app
                    image: busybox:1.35
                    command: [/bin/busybox, sh, -c, 'while true; do touch /state/ready; sleep 4; rm -f /state/ready; sleep 4; done']
                    volumeMounts: [{name: state, mountPath: /state}]
                    readinessProbe:
                      exec: {command: [/bin/busybox, test, -f, /state/ready]}
                      periodSeconds: 1
                """);
        String ready = "{.status.conditions[?(@.type==\"Ready\")].status}";
        await("ready").atMost(Duration.ofSeconds(40)).until(() -> jsonpath("readiness", ready), "True"::equals);
        await("not ready").atMost(Duration.ofSeconds(20)).until(() -> jsonpath("readiness", ready), "False"::equals);
        await("ready again").atMost(Duration.ofSeconds(20)).until(() -> jsonpath("readiness", ready), "True"::equals);
    }

    @Test
    void configMapAndSecretReachEnvAndFilesAndConfigMapUpdatesReachTheFile() {
        kubectl.ok("create", "configmap", "settings", "--from-literal=greeting=hello");
        kubectl.ok("create", "secret", "generic", "credentials", "--from-literal=password=s3cret");
        apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: config}
                spec:
                  nodeName: %s
                  volumes:
                  - {name: settings, configMap: {name: settings}}
                  - {name: credentials, secret: {secretName: credentials}}
                  containers:
                  - name: app
                    image: busybox:1.35
                    command: [/bin/busybox, sh, -c, 'while true; do echo "env=$GREETING/$PASSWORD file=$(cat /etc/settings/greeting)/$(cat /etc/credentials/password)"; sleep 1; done']
                    env:
                    - {name: GREETING, valueFrom: {configMapKeyRef: {name: settings, key: greeting}}}
                    - {name: PASSWORD, valueFrom: {secretKeyRef: {name: credentials, key: password}}}
                    volumeMounts:
                    - {name: settings, mountPath: /etc/settings}
                    - {name: credentials, mountPath: /etc/credentials, readOnly: true}
                """);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> kubectl.run("logs", "config", "--tail=1").stdout(), out -> out.contains("env=hello/s3cret file=hello/s3cret"));
        kubectl.ok("patch", "configmap", "settings", "--type=merge", "-p", "{\"data\":{\"greeting\":\"bonjour\"}}");
        await("the mounted file follows the ConfigMap").atMost(Duration.ofSeconds(60))
                .until(() -> kubectl.run("logs", "config", "--tail=1").stdout(), out -> out.contains("env=hello/s3cret file=bonjour/s3cret"));
    }

    @Test
    void execPassesStdinAndReturnsTheExitCode() {
        apply(sleeper("exec"));
        kubectl.ok("wait", "--for=condition=Ready", "pod/exec", "--timeout=60s");
        CommandResult result = kubectl.run(Map.of(), "piped input\n", "exec", "-i", "exec", "--",
                "/bin/busybox", "sh", "-c", "cat; echo to-stderr >&2; exit 7");
        assertThat(result.exitCode()).isEqualTo(7);
        assertThat(result.stdout()).isEqualTo("piped input\n");
        assertThat(result.stderr()).contains("to-stderr");
    }

    @Test
    void portForwardServesThePodsHttp() throws Exception {
        apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: web}
                spec:
                  nodeName: %s
                  volumes: [{name: www, emptyDir: {}}]
                  containers:
                  - name: httpd
                    image: busybox:1.35
                    command: [/bin/busybox, sh, -c, 'echo hello-from-pod > /www/index.html; exec /bin/busybox httpd -f -p 18080 -h /www']
                    volumeMounts: [{name: www, mountPath: /www}]
                    ports: [{containerPort: 18080}]
                    readinessProbe: {tcpSocket: {port: 18080}, periodSeconds: 1}
                """);
        kubectl.ok("wait", "--for=condition=Ready", "pod/web", "--timeout=60s");
        try (BackgroundCommand forward = kubectl.start("port-forward", "pod/web", ":18080")) {
            int port = await("forwarding").atMost(Duration.ofSeconds(20)).until(() -> {
                Matcher matcher = FORWARDING.matcher(forward.stdout());
                return matcher.find() ? Integer.parseInt(matcher.group(1)) : 0;
            }, p -> p > 0);
            try (HttpClient http = HttpClient.newHttpClient()) {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).isEqualTo("hello-from-pod\n");
            }
        }
    }

    @Test
    void aContainerOverItsMemoryLimitIsOomKilled() {
        apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: hungry}
                spec:
                  nodeName: %s
                  restartPolicy: Never
                  containers:
                  - name: app
                    image: busybox:1.35
                    command: [/bin/busybox, tail, /dev/zero]
                    resources: {limits: {memory: 32Mi}}
                """);
        await("OOMKilled").atMost(Duration.ofSeconds(60))
                .until(() -> jsonpath("hungry", "{.status.containerStatuses[0].state.terminated.reason}"), "OOMKilled"::equals);
        assertThat(jsonpath("hungry", "{.status.phase}")).isEqualTo("Failed");
    }

    @Test
    void gracefulDeletionRunsPreStopThenHonoursTheGracePeriod() throws IOException {
        apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: graceful}
                spec:
                  nodeName: %s
                  terminationGracePeriodSeconds: 4
                  volumes: [{name: marks, hostPath: {path: %s, type: Directory}}]
                  containers:
                  - name: app
                    image: busybox:1.35
                    command: [/bin/busybox, sh, -c, 'trap "" TERM; while true; do /bin/busybox sleep 1; done']
                    volumeMounts: [{name: marks, mountPath: /marks}]
                    lifecycle:
                      preStop:
                        exec: {command: [/bin/busybox, sh, -c, 'echo pre-stop > /marks/pre-stop']}
                """.formatted("%s", hostDir));
        kubectl.ok("wait", "--for=condition=Ready", "pod/graceful", "--timeout=60s");
        long started = System.nanoTime();
        kubectl.ok("delete", "pod", "graceful", "--wait=true", "--timeout=60s");
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(Files.readString(hostDir.resolve("pre-stop")).strip()).isEqualTo("pre-stop");
        // the container ignores SIGTERM: only SIGKILL at the end of the grace period stops it
        assertThat(took).isBetween(Duration.ofSeconds(3), Duration.ofSeconds(30));
    }

    private static String sleeper(String name) {
        return """
                apiVersion: v1
                kind: Pod
                metadata: {name: %s}
                spec:
                  nodeName: %%s
                  containers:
                  - name: app
                    image: busybox:1.35
                    command: [/bin/busybox, sleep, "3600"]
                """.formatted(name);
    }

    /** Applies a manifest whose first {@code %s} is the node name. */
    private void apply(String manifest) {
        kubectl.run(Map.of(), manifest.formatted(cluster.nodeName()), "apply", "-n", NS, "-f", "-").requireSuccess();
    }

    private String jsonpath(String pod, String path) {
        CommandResult result = kubectl.run("get", "pod", pod, "-n", NS, "-o", "jsonpath=" + path);
        return result.exitCode() == 0 ? result.stdout().strip() : "";
    }

    private String waitingMessage(String pod) {
        return jsonpath(pod, "{.status.containerStatuses[0].state.waiting.message}");
    }
}
