package io.platform.agent.server.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.platform.agent.testing.AgentCluster;
import io.platform.agent.testing.RequiresDockerEngine;
import io.platform.api.testing.BackgroundCommand;
import io.platform.api.testing.CommandResult;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code kubectl exec}, {@code attach} and {@code port-forward} through the API server to the node agent on a real
 * Docker engine, with each kubectl version whose protocol differs.
 */
@RequiresDockerEngine
class StreamsKubectlTest {

    private static final String NODE = "streams-node";
    private static final String NS = "default";

    private static AgentCluster cluster;
    private static KubernetesClient client;

    @BeforeAll
    static void start() {
        cluster = AgentCluster.start(NODE, Map.of("platform.agent.runtime", "docker"));
        client = cluster.client();
        running(new PodBuilder().withNewMetadata().withName("shell").endMetadata().withNewSpec()
                .addToContainers(busybox("main", "trap 'exit 0' TERM; sleep 3600 & wait").build())
                .endSpec().build());
        running(new PodBuilder().withNewMetadata().withName("web").endMetadata().withNewSpec()
                .addToContainers(busybox("httpd",
                        "mkdir -p /www && echo hello from the pod > /www/index.html && exec httpd -f -p 80 -h /www").build())
                .endSpec().build());
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.30", "1.32", "1.33"})
    void execSeparatesStdoutFromStderrAndReturnsTheExitCode(String minor) {
        CommandResult result = cluster.kubectl(minor).run("exec", "shell", "-n", NS, "--", "sh", "-c",
                "echo out; echo err >&2; exit 3");

        assertThat(result.stdout()).isEqualTo("out\n");
        assertThat(result.stderr()).contains("err\n");
        assertThat(result.exitCode()).isEqualTo(3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.30", "1.32", "1.33"})
    void execPassesStdinAndItsEnd(String minor) {
        CommandResult result = cluster.kubectl(minor).run(Map.of(), "line one\nline two\n", "exec", "-i", "shell", "-n",
                NS, "--", "cat");

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).isEqualTo("line one\nline two\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.32", "1.33"})
    void aFailingCommandFailsKubectl(String minor) {
        CommandResult result = cluster.kubectl(minor).run("exec", "shell", "-n", NS, "--", "false");

        assertThat(result.exitCode()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.30", "1.32", "1.33"})
    void execIntoAMissingContainerSaysSo(String minor) {
        CommandResult result = cluster.kubectl(minor).run("exec", "shell", "-n", NS, "-c", "nope", "--", "true");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderr()).contains("container nope is not valid for pod shell");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.32", "1.33"})
    void attachReachesTheContainersStdin(String minor) {
        String name = "attach-" + minor.replace('.', '-');
        running(new PodBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec()
                .withRestartPolicy("Never")
                .addToContainers(busybox("main", "read line; echo got $line").withStdin(true).build())
                .endSpec().build());

        CommandResult result = cluster.kubectl(minor).run(Map.of(), "hello\n", "attach", "-i", name, "-n", NS);

        assertThat(result.stdout()).as(result.stderr()).contains("got hello");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.32", "1.33"})
    void portForwardServesHttp(String minor) throws Exception {
        int port = freePort();
        try (BackgroundCommand forward = cluster.kubectl(minor).start("port-forward", "-n", NS, "pod/web", port + ":80")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> forward.stdout().contains("Forwarding from"));
            assertThat(forward.isRunning()).as(forward.stderr()).isTrue();
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            HttpRequest get = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/index.html"))
                    .timeout(Duration.ofSeconds(20)).build();
            for (int i = 0; i < 2; i++) {
                HttpResponse<String> response;
                try {
                    response = http.send(get, HttpResponse.BodyHandlers.ofString());
                } catch (IOException e) {
                    throw new AssertionError("GET through kubectl port-forward failed: " + e + "; kubectl said: "
                            + forward.stdout() + forward.stderr(), e);
                }
                assertThat(response.statusCode()).as(forward.stderr()).isEqualTo(200);
                assertThat(response.body()).isEqualTo("hello from the pod\n");
            }
        }
    }

    private static ContainerBuilder busybox(String name, String script) {
        return new ContainerBuilder().withName(name).withImage("busybox:1.35").withImagePullPolicy("IfNotPresent")
                .withCommand("sh", "-c", script);
    }

    private static void running(Pod pod) {
        pod.getSpec().setNodeName(NODE);
        client.pods().inNamespace(NS).resource(pod).create();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            Pod current = client.pods().inNamespace(NS).withName(pod.getMetadata().getName()).get();
            return current != null && current.getStatus() != null && current.getStatus().getContainerStatuses() != null
                    && !current.getStatus().getContainerStatuses().isEmpty()
                    && current.getStatus().getContainerStatuses().stream().allMatch(s -> s.getState().getRunning() != null);
        });
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
