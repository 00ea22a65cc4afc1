package io.platform.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.platform.api.ApiServerApplication;
import io.platform.common.client.KubeconfigClients;
import io.platform.console.ConsoleApplication;
import io.platform.console.overview.ClusterSnapshot;
import io.platform.console.overview.ClusterSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.reactor.netty.NettyWebServer;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

class PlatformUpTest {

    @TempDir
    Path dataDir;

    @Test
    void apiServerAndConsoleRunSideBySideInOneJvm() throws Exception {
        int apiPort = FreePorts.next();
        int consolePort = FreePorts.next();
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        UpOptions options = UpOptions.parse(List.of("--data-dir", dataDir.toString(), "--api-port",
                Integer.toString(apiPort), "--console-port", Integer.toString(consolePort), "--components",
                "api,console", "--node-name", "test-node"));

        try (RunningPlatform platform = new PlatformMain(new PrintStream(printed, true, StandardCharsets.UTF_8))
                .up(options)) {
            assertThat(dataDir.resolve("platform.pid")).content().isEqualToIgnoringNewLines(
                    Long.toString(ProcessHandle.current().pid()));
            assertThat(platform.started()).extracting(RunningPlatform.Started::component)
                    .containsExactly(Component.API, Component.CONSOLE);

            ConfigurableApplicationContext api = platform.context(Component.API).orElseThrow();
            ConfigurableApplicationContext console = platform.context(Component.CONSOLE).orElseThrow();
            // Sibling contexts on their own stacks: neither sees the other's beans.
            assertThat(api.getParent()).isNull();
            assertThat(console.getParent()).isNull();
            assertThat(((WebServerApplicationContext) api).getWebServer()).isInstanceOf(NettyWebServer.class);
            assertThat(((WebServerApplicationContext) console).getWebServer()).isInstanceOf(TomcatWebServer.class);
            assertThat(api.getBeanNamesForType(ConsoleApplication.class)).isEmpty();
            assertThat(console.getBeanNamesForType(ApiServerApplication.class)).isEmpty();

            HttpClient https = HttpClient.newBuilder()
                    .sslContext(ApiReadiness.trustingOnly(platform.pki().authority()))
                    .version(HttpClient.Version.HTTP_1_1)
                    .build();
            HttpResponse<String> version = https.send(HttpRequest.newBuilder(
                    URI.create(options.apiServerUrl() + "/version")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(version.statusCode()).isEqualTo(200);
            assertThat(version.body()).contains("\"gitVersion\"");
            HttpResponse<String> anonymous = https.send(HttpRequest.newBuilder(
                    URI.create(options.apiServerUrl() + "/api/v1/namespaces")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(anonymous.statusCode()).isEqualTo(401);

            try (KubernetesClient admin = KubeconfigClients.fromFile(platform.pki().adminKubeconfig())) {
                NamespaceList namespaces = admin.namespaces().list();
                assertThat(namespaces.getItems()).isNotNull();
                assertThat(namespaces.getMetadata().getResourceVersion()).isNotBlank();
            }

            HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(options.consoleUrl() + "/")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("VAADIN/build/");

            // The console reads the cluster with its own certificate (system:web-console).
            ClusterSnapshots snapshots = console.getBean(ClusterSnapshots.class);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                ClusterSnapshot snapshot = snapshots.latest();
                assertThat(snapshot.error()).isNull();
                assertThat(snapshot.readAt()).isNotNull();
            });

            assertThat(printed.toString(StandardCharsets.UTF_8)).contains(
                    "API server:  " + options.apiServerUrl(),
                    "console:     " + options.consoleUrl(),
                    "kubectl --kubeconfig " + dataDir.toAbsolutePath().resolve("admin.kubeconfig") + " get nodes");
        }

        assertThat(dataDir.resolve("platform.pid")).doesNotExist();
        assertThat(FreePorts.free(apiPort)).as("API port released").isTrue();
        assertThat(FreePorts.free(consolePort)).as("console port released").isTrue();
    }

    @Test
    void aComponentThatCannotStartStopsWhatAlreadyRuns() throws Exception {
        int apiPort = FreePorts.next();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            UpOptions options = UpOptions.parse(List.of("--data-dir", dataDir.toString(), "--api-port",
                    Integer.toString(apiPort), "--console-port", Integer.toString(taken.getLocalPort()),
                    "--components", "api,console"));

            assertThatThrownBy(() -> PlatformLauncher.start(options))
                    .isInstanceOf(PlatformLauncher.LaunchException.class)
                    .hasMessageStartingWith("console failed to start")
                    .hasMessageContaining(Integer.toString(taken.getLocalPort()));
        }
        assertThat(FreePorts.free(apiPort)).as("API server closed again").isTrue();
        assertThat(dataDir.resolve("platform.pid")).doesNotExist();
        assertThat(dataDir.resolve("admin.kubeconfig")).exists();
    }
}
