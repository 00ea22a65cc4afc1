package io.platform.agent.testing;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.platform.agent.NodeAgentApplication;
import io.platform.agent.docker.ClusterContainers;
import io.platform.agent.docker.DockerEngines;
import io.platform.agent.image.BusyboxImageBuilder;
import io.platform.agent.process.ProcessRuntimeCleanup;
import io.platform.agent.volume.AtomicVolumeWriter;
import io.platform.api.testing.ComponentUnderTest;
import io.platform.api.testing.Kubectl;
import io.platform.api.testing.RunningApiServer;
import io.platform.common.client.KubeconfigClients;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A real API server (HTTPS, SQLite) and one node agent in this JVM on the runtime the properties
 * choose ({@code platform.agent.runtime}, default docker on {@code DOCKER_HOST}), with short
 * durations, the admin client and the real kubectl. Closing it stops both and removes the
 * cluster's containers (for the process runtime: processes, cgroups, namespaces and bridge) and the
 * agent's root directory.
 */
public final class AgentCluster implements AutoCloseable {

    /** Where the machine's kubectl binaries are, one per minor version. */
    private static final Path KUBECTL_DIR = Path.of("/usr/lib/google-cloud-sdk/bin");

    private final String nodeName;
    private final RunningApiServer server;
    private final KubernetesClient client;
    private final Path rootDir;
    private final Path work;
    private final Map<String, Object> agentProperties;
    private @Nullable ConfigurableApplicationContext agent;

    private AgentCluster(String nodeName, RunningApiServer server, KubernetesClient client, Path rootDir, Path work,
            Map<String, Object> agentProperties) {
        this.nodeName = nodeName;
        this.server = server;
        this.client = client;
        this.rootDir = rootDir;
        this.work = work;
        this.agentProperties = agentProperties;
    }

    /**
     * Starts the API server and the agent for node {@code nodeName}; {@code overrides} replace or add agent
     * properties (e.g. {@code platform.agent.runtime=process}, probe or back-off durations).
     */
    public static AgentCluster start(String nodeName, Map<String, ?> overrides) {
        try {
            Path work = Files.createTempDirectory("agent-cluster");
            Path rootDir = Files.createDirectories(work.resolve("root"));
            RunningApiServer server = RunningApiServer.start(nodeName);
            KubernetesClient client = KubeconfigClients.fromFile(server.pki().adminKubeconfig());
            // what the controller manager's root CA publisher keeps in every namespace (it does not run here)
            client.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata()
                    .withName("kube-root-ca.crt").endMetadata()
                    .addToData("ca.crt", Files.readString(server.pki().caCertificate())).build()).create();
            String clusterId = server.pki().clusterId();
            Map<String, Object> properties = new HashMap<>(Map.ofEntries(
                    Map.entry("server.port", 0),
                    Map.entry("spring.main.banner-mode", "off"),
                    // the API server's JDBC and Flyway share the classpath, as in the one-JVM launcher
                    Map.entry("spring.autoconfigure.exclude", ComponentUnderTest.WITHOUT_DATABASE),
                    Map.entry("platform.agent.kubeconfig", server.pki().nodeAgentKubeconfig().toString()),
                    Map.entry("platform.agent.node-name", nodeName),
                    Map.entry("platform.agent.cluster-id", clusterId),
                    Map.entry("platform.agent.tls-cert", server.pki().nodeAgentCertificate().toString()),
                    Map.entry("platform.agent.tls-key", server.pki().nodeAgentKey().toString()),
                    Map.entry("platform.agent.client-ca", server.pki().caCertificate().toString()),
                    Map.entry("platform.agent.docker-host", DockerTestEngine.host()),
                    Map.entry("platform.agent.root-dir", rootDir.toString()),
                    Map.entry("platform.agent.sandbox-image", "platform.local/pause:" + clusterId),
                    Map.entry("platform.agent.heartbeat-interval", "1s"),
                    Map.entry("platform.agent.lease-interval", "1s"),
                    Map.entry("platform.agent.resync-interval", "1s"),
                    Map.entry("platform.agent.orphan-interval", "2s"),
                    Map.entry("platform.agent.retry-interval", "500ms"),
                    Map.entry("platform.agent.restart-back-off.initial", "1s"),
                    Map.entry("platform.agent.restart-back-off.max", "4s"),
                    Map.entry("platform.agent.image-pull-back-off.initial", "3s"),
                    Map.entry("platform.agent.image-pull-back-off.max", "10s")));
            properties.putAll(overrides);
            if ("process".equals(properties.get("platform.agent.runtime"))) {
                // a bridge and pod addresses of its own, so clusters of several tests never share them
                int random = ThreadLocalRandom.current().nextInt(1 << 20);
                properties.putIfAbsent("platform.agent.process.bridge", "pt" + Integer.toHexString(random));
                properties.putIfAbsent("platform.agent.process.pod-cidr", "10." + (100 + random % 150) + ".0.0/16");
            }
            AgentCluster cluster = new AgentCluster(nodeName, server, client, rootDir, work, properties);
            if (cluster.onDocker()) {
                BusyboxImageBuilder.build(DockerTestEngine.host(), Path.of("/bin/busybox"));
            }
            cluster.startAgent();
            return cluster;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String nodeName() {
        return nodeName;
    }

    public RunningApiServer server() {
        return server;
    }

    /** A client of {@code system:masters}. */
    public KubernetesClient client() {
        return client;
    }

    public Path rootDir() {
        return rootDir;
    }

    public String clusterId() {
        return server.pki().clusterId();
    }

    /** The running agent's application context. */
    public ConfigurableApplicationContext agent() {
        if (agent == null) {
            throw new IllegalStateException("the agent is stopped");
        }
        return agent;
    }

    /** Port of the agent's HTTPS API. */
    public int agentPort() {
        return ((WebServerApplicationContext) agent()).getWebServer().getPort();
    }

    /** The real kubectl of that minor version ({@code "1.30"}, {@code "1.32"}, {@code "1.33"}) as the admin. */
    public Kubectl kubectl(String minor) {
        Path binary = KUBECTL_DIR.resolve("kubectl." + minor);
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException("kubectl " + minor + " is not installed at " + binary);
        }
        try {
            return new Kubectl(binary, server.pki().adminKubeconfig(), Files.createDirectories(work.resolve("kubectl-cache-" + minor)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether kubectl of that minor version is installed, for {@code assumeTrue}. */
    public static boolean hasKubectl(String minor) {
        return Files.isExecutable(KUBECTL_DIR.resolve("kubectl." + minor));
    }

    public void stopAgent() {
        if (agent != null) {
            agent.close();
            agent = null;
        }
    }

    public void startAgent() {
        if (agent == null) {
            agent = new SpringApplicationBuilder(NodeAgentApplication.class)
                    .web(WebApplicationType.REACTIVE)
                    .properties(NodeAgentApplication.defaultProperties())
                    .properties(agentProperties)
                    .run();
        }
    }

    /** The cluster's own sandbox image, built at the agent's start. */
    private void removeSandboxImage() {
        try (DockerClient docker = DockerEngines.connect(DockerTestEngine.host())) {
            docker.removeImageCmd(String.valueOf(agentProperties.get("platform.agent.sandbox-image"))).withForce(true).exec();
        } catch (NotFoundException e) {
            // never built: the agent did not start a pod
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private boolean onDocker() {
        Object runtime = agentProperties.getOrDefault("platform.agent.runtime", "docker");
        return runtime.equals("docker") || runtime.equals("auto");
    }

    @Override
    public void close() {
        stopAgent();
        if (onDocker()) {
            ClusterContainers.removeAll(DockerTestEngine.host(), clusterId());
            removeSandboxImage();
        } else if ("process".equals(agentProperties.get("platform.agent.runtime"))) {
            ProcessRuntimeCleanup.removeEverything(rootDir, (String) agentProperties.get("platform.agent.process.bridge"));
        }
        client.close();
        server.close();
        try {
            AtomicVolumeWriter.deleteTree(work);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
