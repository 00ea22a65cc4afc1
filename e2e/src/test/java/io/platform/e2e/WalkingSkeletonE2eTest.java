package io.platform.e2e;

import io.platform.api.testing.Kubectl;
import io.platform.api.testing.Commands;
import io.platform.api.testing.CommandResult;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The walking skeleton end to end: the platform started as {@code ./platform up} starts it, driven
 * by the real kubectl 1.32, running real containers on the Docker engine of the test's own network
 * namespace. It runs on the store {@link E2eStore} selects ({@code PLATFORM_E2E_STORE=sqlite|etcd|postgres},
 * default SQLite); {@code e2e/run-tests.sh} runs it once per backend, the restart of {@code up}
 * included, which must find the cluster in the same store.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WalkingSkeletonE2eTest {

    private static final String DOCKER = "/usr/bin/docker";
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final String HELLO_KEY = "/registry/apps/deployments/default/hello";

    @TempDir
    static Path work;

    static E2eEnvironment env;
    static E2eStore store;
    static PlatformProcess platform;
    static Kubectl kubectl;
    static String clusterId;

    @BeforeAll
    static void startPlatform() throws IOException {
        env = E2eEnvironment.require();
        Path dataDir = work.resolve("data");
        store = E2eStore.start(dataDir);
        System.out.println("walking skeleton: " + env.jar() + " on store " + store);
        Commands.run(List.of(PlatformProcess.java(), "--enable-native-access=ALL-UNNAMED", "-jar", env.jar().toString(),
                "image", "build-busybox"), Duration.ofMinutes(2)).requireSuccess();
        platform = new PlatformProcess(env, dataDir, store.url());
        platform.start();
        kubectl = new Kubectl(env.kubectl(), platform.kubeconfig(), work.resolve("kube-cache"));
        clusterId = Files.readString(dataDir.resolve("cluster-id")).strip();
    }

    @AfterAll
    static void stopPlatform() throws Exception {
        try {
            if (platform != null) {
                System.out.println("platform log tail:\n" + platform.tail());
                platform.stop();
                CommandResult down = platform.down();
                assertThat(down.exitCode()).as(down.stdout() + down.stderr()).isZero();
                assertThat(clusterContainers()).as("containers left after platform down").isEmpty();
            }
        } finally {
            // the platform has stopped: the store it ran on can go
            if (store != null) {
                store.close();
            }
        }
    }

    @Test
    @Order(1)
    void nodeRegistersReady() {
        eventually().untilAsserted(() -> assertThat(kubectl.ok("get", "nodes", "--no-headers")).contains(" Ready "));
        assertThat(kubectl.ok("version")).contains("Server Version: v1.32.");
    }

    @Test
    @Order(2)
    void deploymentRollsOutOnRealContainers() throws Exception {
        kubectl.ok("apply", "-f", env.root().resolve("examples/hello.yaml").toString());
        kubectl.ok("rollout", "status", "deployment/hello", "--timeout=180s");

        String wide = kubectl.ok("get", "pods", "-l", "app=hello", "-o", "wide", "--no-headers");
        List<String> rows = wide.lines().toList();
        assertThat(rows).hasSize(2).allSatisfy(row -> assertThat(row)
                .contains("Running").contains("1/1")
                .containsPattern("\\s\\d+\\.\\d+\\.\\d+\\.\\d+\\s"));
        assertThat(clusterContainers()).as("docker ps, app containers of the hello pods")
                .filteredOn(c -> c.contains("k8s_web_hello-")).hasSize(2);

        String ip = kubectl.ok("get", "pods", "-l", "app=hello", "-o", "jsonpath={.items[0].status.podIP}").strip();
        HttpResponse<String> reply = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://" + ip + ":8080/")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(reply.body()).startsWith("hello from hello-");
        assertThat(store.holds(HELLO_KEY)).as("the Deployment kept in " + store).isTrue();
    }

    @Test
    @Order(3)
    void scalesAndServesLogs() {
        kubectl.ok("scale", "deployment/hello", "--replicas=3");
        kubectl.ok("rollout", "status", "deployment/hello", "--timeout=180s");
        eventually().untilAsserted(() -> assertThat(runningPods("app=hello")).hasSize(3));
        assertThat(kubectl.ok("get", "replicasets", "-l", "app=hello", "--no-headers").lines()).hasSize(1);

        String pod = runningPods("app=hello").iterator().next();
        eventually().untilAsserted(() -> assertThat(kubectl.ok("logs", pod)).contains("serving on :8080"));
    }

    /** The console, in a real headless Chromium, lists the node and the running pods. */
    @Test
    @Order(4)
    void consoleShowsTheNodeAndThePods() {
        assumeTrue(Files.isExecutable(CHROMIUM), "no " + CHROMIUM + ": install Debian's chromium to test the console");
        String node = kubectl.ok("get", "nodes", "-o", "jsonpath={.items[0].metadata.name}").strip();
        Set<String> pods = runningPods("app=hello");
        try (Playwright playwright = Playwright.create(new Playwright.CreateOptions()
                        .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
                Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                        .setExecutablePath(CHROMIUM).setArgs(List.of("--headless", "--no-sandbox", "--disable-gpu",
                                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                                "--no-first-run")))) {
            Page page = browser.newPage();
            page.navigate("http://127.0.0.1:" + platform.consolePort() + "/");
            assertThat(page.locator("h1").first().textContent()).isEqualTo("Cluster overview");
            // Grid cells are light-DOM children of each vaadin-grid; Playwright objects stay on this thread
            eventually().pollInSameThread().untilAsserted(() -> {
                assertThat(page.locator("#nodes vaadin-grid-cell-content").allTextContents()).contains(node, "Ready");
                assertThat(page.locator("#pods vaadin-grid-cell-content").allTextContents()).containsAll(pods);
            });
        }
    }

    /** Client-side apply of a changed manifest: kubectl sends a strategic merge patch, the Deployment rolls. */
    @Test
    @Order(5)
    void reapplyingAChangedManifestRollsOut() throws IOException {
        String manifest = Files.readString(env.root().resolve("examples/hello.yaml")).replace(
                "          image: busybox:1.35\n",
                "          image: busybox:1.35\n          env:\n            - name: GREETING\n              value: hi\n");
        Path changed = Files.writeString(work.resolve("hello-changed.yaml"), manifest);
        kubectl.ok("apply", "-f", changed.toString());
        kubectl.ok("rollout", "status", "deployment/hello", "--timeout=180s");

        assertThat(kubectl.ok("get", "replicasets", "-l", "app=hello", "-o",
                "jsonpath={range .items[*]}{.metadata.annotations.deployment\\.kubernetes\\.io/revision}={.spec.replicas} {end}"))
                .as("revision 1 scaled to zero; the manifest's replicas: 2 wins over the earlier scale, as upstream")
                .contains("1=0").contains("2=2");
        eventually().untilAsserted(() -> assertThat(kubectl.ok("get", "pods", "-l", "app=hello", "-o",
                "jsonpath={range .items[*]}{.status.phase}:{.spec.containers[0].env[0].value} {end}").trim().split(" "))
                .containsExactly("Running:hi", "Running:hi"));
    }

    @Test
    @Order(6)
    void restartReadoptsPodsWithoutDuplicates() throws Exception {
        Set<String> podsBefore = runningPods("app=hello");
        eventually().alias("the replaced pods' containers are gone").untilAsserted(() -> assertThat(clusterContainers())
                .hasSize(2 * podsBefore.size())
                .allSatisfy(c -> assertThat(podsBefore).anySatisfy(pod -> assertThat(c).contains("_" + pod + "_"))));
        List<String> containersBefore = clusterContainers();

        platform.stop();
        assertThat(clusterContainers()).as("pod containers keep running while the platform is down")
                .containsExactlyInAnyOrderElementsOf(containersBefore);
        platform.start();

        kubectl.ok("rollout", "status", "deployment/hello", "--timeout=180s");
        eventually().untilAsserted(() -> assertThat(runningPods("app=hello")).isEqualTo(podsBefore));
        assertThat(clusterContainers()).as("re-adopted, not duplicated").containsExactlyInAnyOrderElementsOf(containersBefore);
    }

    @Test
    @Order(7)
    void protobufBodiesFromKubectlCreate() {
        kubectl.ok("create", "namespace", "e2e");
        kubectl.ok("create", "configmap", "settings", "-n", "e2e", "--from-literal=greeting=hi");
        kubectl.ok("create", "deployment", "sleeper", "-n", "e2e", "--image=busybox:1.35", "--", "sleep", "3600");
        assertThat(kubectl.ok("get", "configmap", "settings", "-n", "e2e", "-o", "jsonpath={.data.greeting}")).isEqualTo("hi");
        kubectl.ok("rollout", "status", "deployment/sleeper", "-n", "e2e", "--timeout=180s");
        kubectl.ok("delete", "deployment", "sleeper", "-n", "e2e");
    }

    @Test
    @Order(8)
    void badInputIsRefusedWithAStatus() {
        CommandResult bad = kubectl.run("create", "deployment", "Bad_Name", "--image=busybox:1.35");
        assertThat(bad.exitCode()).isNotZero();
        assertThat(bad.stderr()).contains("Invalid").contains("Bad_Name");
        CommandResult missing = kubectl.run("get", "deployment", "nope");
        assertThat(missing.stderr()).contains("deployments.apps \"nope\" not found");
    }

    /** kubectl 1.30 sends JSON where 1.32 sends protobuf, and 1.33 is one minor ahead: both must work. */
    @ParameterizedTest
    @ValueSource(strings = {"1.30", "1.33"})
    @Order(9)
    void otherKubectlMinorsDriveADeployment(String minor) {
        Kubectl other = new Kubectl(Path.of(E2eEnvironment.KUBECTL_DEFAULT.replace("1.32", minor)),
                platform.kubeconfig(), work.resolve("kube-cache-" + minor));
        String name = "v" + minor.replace(".", "");
        other.ok("create", "deployment", name, "-n", "e2e", "--image=busybox:1.35", "--", "sleep", "3600");
        other.ok("scale", "deployment/" + name, "-n", "e2e", "--replicas=2");
        other.ok("rollout", "status", "deployment/" + name, "-n", "e2e", "--timeout=180s");
        assertThat(other.ok("get", "pods", "-n", "e2e", "-l", "app=" + name, "-o", "wide", "--no-headers").lines())
                .hasSize(2).allSatisfy(row -> assertThat(row).contains("Running"));
        other.ok("delete", "deployment", name, "-n", "e2e");
    }

    @Test
    @Order(10)
    void deletingTheDeploymentRemovesEverything() {
        kubectl.ok("delete", "deployment", "hello");
        eventually().untilAsserted(() -> {
            assertThat(kubectl.ok("get", "pods", "-l", "app=hello", "--no-headers", "--ignore-not-found")).isBlank();
            assertThat(kubectl.ok("get", "replicasets", "-l", "app=hello", "--no-headers", "--ignore-not-found")).isBlank();
            assertThat(clusterContainers()).filteredOn(c -> c.contains("_hello-")).isEmpty();
        });
        eventually().untilAsserted(() -> assertThat(store.holds(HELLO_KEY)).as("the Deployment gone from " + store)
                .isFalse());
    }

    private static Set<String> runningPods(String selector) {
        String names = kubectl.ok("get", "pods", "-l", selector, "--field-selector=status.phase=Running",
                "-o", "jsonpath={.items[*].metadata.name}");
        return Arrays.stream(names.trim().split("\\s+")).filter(s -> !s.isEmpty())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** Names and ids of this cluster's running containers, as the Docker engine reports them. */
    private static List<String> clusterContainers() {
        String out = Commands.run(List.of(DOCKER, "-H", env.dockerHost(), "ps",
                "--filter", "label=io.platform.cluster=" + clusterId, "--format", "{{.ID}} {{.Names}}"),
                Duration.ofSeconds(30)).requireSuccess().stdout();
        return out.lines().filter(l -> !l.isBlank()).sorted().toList();
    }

    private static ConditionFactory eventually() {
        return Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                .ignoreExceptions();
    }
}
