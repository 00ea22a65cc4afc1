package io.platform.console.overview;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.platform.console.ConsoleProperties;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ClusterSnapshotsTest {

    @Test
    void saysPlainlyWhenTheApiServerCannotBeReached() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        Config config = new ConfigBuilder(Config.empty())
                .withMasterUrl("https://127.0.0.1:" + closedPort)
                .withRequestRetryBackoffLimit(0)
                .build();
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
            ClusterSnapshots snapshots = new ClusterSnapshots(client,
                    new ConsoleProperties(Path.of("unused"), Duration.ofMillis(200), Duration.ofSeconds(2)),
                    Clock.systemUTC());
            snapshots.start();
            try {
                assertThat(snapshots.latest().readAt()).isNull();
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(snapshots.latest().error())
                        .startsWith("Cannot reach the API server at https://127.0.0.1:" + closedPort)
                        .endsWith("connection refused"));
                assertThat(snapshots.latest().nodes()).isEmpty();
            } finally {
                snapshots.stop();
            }
        }
    }
}
