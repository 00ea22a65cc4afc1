package io.platform.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.kv.GetResponse;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.V1;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The libraries whose versions could clash, loaded together on the launcher's classpath (Boot's
 * managed gRPC, Netty, protobuf and both Jackson lines) and each exercised once.
 */
class LibraryCoexistenceTest {

    private static final ByteSequence KEY = ByteSequence.from("/registry/smoke/key", StandardCharsets.UTF_8);

    @TempDir
    Path etcdData;

    @Test
    void fabric8SerializesADeploymentWithJackson3() {
        Deployment deployment = new DeploymentBuilder()
                .withNewMetadata().withName("hello").withNamespace("default").withLabels(Map.of("app", "hello"))
                .endMetadata()
                .withNewSpec().withReplicas(2)
                .withNewSelector().withMatchLabels(Map.of("app", "hello")).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(Map.of("app", "hello")).endMetadata()
                .withNewSpec().addNewContainer().withName("web").withImage("busybox:1.35")
                .withCommand("httpd", "-f", "-p", "8080").endContainer().endSpec().endTemplate()
                .endSpec()
                .build();
        KubernetesSerialization serialization = new KubernetesSerialization();

        String json = serialization.asJson(deployment);
        Deployment back = serialization.unmarshal(json, Deployment.class);

        assertThat(json).contains("\"apiVersion\":\"apps/v1\"", "\"kind\":\"Deployment\"");
        assertThat(back).isEqualTo(deployment);
        assertThat(tools.jackson.databind.ObjectMapper.class.getPackageName()).isEqualTo("tools.jackson.databind");
    }

    @Test
    void clientJavaProtoBuildsAndParsesAPodOnBootsProtobufRuntime() throws Exception {
        V1.Pod pod = V1.Pod.newBuilder()
                .setMetadata(Meta.ObjectMeta.newBuilder().setName("web-1").setNamespace("default")
                        .putLabels("app", "hello"))
                .setSpec(V1.PodSpec.newBuilder().addContainers(
                        V1.Container.newBuilder().setName("web").setImage("busybox:1.35")))
                .build();

        ByteString bytes = pod.toByteString();
        V1.Pod parsed = V1.Pod.parseFrom(bytes);

        assertThat(parsed.getMetadata().getName()).isEqualTo("web-1");
        assertThat(parsed.getMetadata().getLabelsMap()).containsEntry("app", "hello");
        assertThat(parsed.getSpec().getContainers(0).getImage()).isEqualTo("busybox:1.35");
    }

    @Test
    void jetcdFailsPlainlyWithoutAnEtcd() {
        int closedPort = FreePorts.next();
        try (Client client = Client.builder()
                .endpoints("http://127.0.0.1:" + closedPort)
                .connectTimeout(Duration.ofSeconds(1))
                .retryMaxDuration(Duration.ofSeconds(2))
                .retryMaxAttempts(1)
                // Fail fast instead of queueing the call until a channel becomes ready.
                .waitForReady(false)
                .build()) {
            assertThatThrownBy(() -> client.getKVClient().get(KEY).get(15, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .satisfies(e -> assertThat(describe(e)).containsAnyOf("UNAVAILABLE", "Connection refused"));
        }
    }

    @Test
    void jetcdPutsAndGetsAgainstARealEtcd() throws Exception {
        Optional<Path> etcd = onPath("etcd");
        Assumptions.assumeTrue(etcd.isPresent(),
                "etcd is not installed (apt-get install etcd-server): skipping the put/get against a real etcd");
        int clientPort = FreePorts.next();
        int peerPort = FreePorts.next();
        String client = "http://127.0.0.1:" + clientPort;
        String peer = "http://127.0.0.1:" + peerPort;
        Process process = new ProcessBuilder(etcd.get().toString(), "--name", "smoke", "--data-dir",
                etcdData.resolve("data").toString(), "--listen-client-urls", client, "--advertise-client-urls",
                client, "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer, "--initial-cluster",
                "smoke=" + peer)
                .redirectErrorStream(true)
                .redirectOutput(etcdData.resolve("etcd.log").toFile())
                .start();
        try (Client jetcd = Client.builder().endpoints(client).build()) {
            ByteSequence value = ByteSequence.from("hello", StandardCharsets.UTF_8);
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() ->
                    jetcd.getKVClient().put(KEY, value).get(2, TimeUnit.SECONDS));
            GetResponse response = jetcd.getKVClient().get(KEY).get(5, TimeUnit.SECONDS);
            assertThat(response.getKvs()).singleElement()
                    .satisfies(kv -> assertThat(kv.getValue()).isEqualTo(value));
        } finally {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private static String describe(Throwable failure) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            text.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage()).append('\n');
        }
        return text.toString();
    }

    private static Optional<Path> onPath(String command) {
        String path = System.getenv("PATH");
        List<String> dirs = path == null ? List.of() : Arrays.asList(path.split(":"));
        return dirs.stream().map(dir -> Path.of(dir, command)).filter(Files::isExecutable).findFirst();
    }
}
