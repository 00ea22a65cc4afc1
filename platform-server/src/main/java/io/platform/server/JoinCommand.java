package io.platform.server;

import io.fabric8.kubernetes.api.model.Config;
import io.platform.agent.bootstrap.KubeconfigFiles;
import io.platform.agent.docker.DockerEngines;
import io.platform.api.pki.ClusterPki;
import io.platform.common.pki.PemFiles;
import io.platform.common.pki.PkiException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code platform join}: adds this machine as a node of a running platform, as {@code kubeadm join} and the kubelet's
 * TLS bootstrap do. It discovers the cluster CA through {@code kube-public/cluster-info}, trusted only when signed for
 * the bootstrap token and when the CA's public key has the pinned hash ({@link ClusterInfo}), writes
 * {@code <data-dir>/pki/ca.crt} and {@code <data-dir>/bootstrap.kubeconfig}, then runs a node agent in this JVM that
 * requests its client and serving certificates through CertificateSigningRequests and keeps them renewed. Once
 * joined, the same command starts the agent again with its own kubeconfig and needs no token.
 */
final class JoinCommand {

    static final Duration DEFAULT_DISCOVERY_TIMEOUT = Duration.ofMinutes(5);
    static final String BOOTSTRAP_KUBECONFIG = "bootstrap.kubeconfig";

    private static final Logger log = LoggerFactory.getLogger(JoinCommand.class);

    static final String USAGE = """
            Usage: platform join --server https://HOST:6443 --token TOKEN --discovery-token-ca-cert-hash sha256:HASH
                                 [--node-name NAME] [--data-dir DIR] [--agent-port PORT] [--address ADDRESS]
                                 [--discovery-timeout TIME] [--shutdown-timeout TIME]
              --server                        the API server (platform token create prints the whole command)
              --token                         a bootstrap token (platform token create on the control plane)
              --discovery-token-ca-cert-hash  sha256 of the cluster CA's public key; the API server is trusted only
                                              when its CA has this hash (repeatable: any one may match)
              --node-name                     the Node's name (default: the host name)
              --data-dir                      this node's CA, kubeconfigs, certificates and pod volumes
                                              (default ./.platform)
              --agent-port                    the node agent's HTTPS port (default 10250)
              --address                       the address registered as the Node's InternalIP, where the agent
                                              listens and the API server calls it (default 127.0.0.1)
              --discovery-timeout             how long to keep trying to reach the API server (default 5m)
              --shutdown-timeout              how long the agent may finish open requests when stopping (default 5s)
            Once joined, platform join --server URL [--node-name NAME] [--data-dir DIR] starts the agent again
            without a token; it renews its certificates itself.
            """;

    record Options(String server, @Nullable BootstrapToken token, List<String> caCertHashes, String nodeName,
            Path dataDir, int agentPort, String address, Duration discoveryTimeout, Duration shutdownTimeout) {

        static Options parse(List<String> args) {
            String server = null;
            BootstrapToken token = null;
            List<String> hashes = new ArrayList<>();
            String nodeName = ClusterPki.hostName();
            Path dataDir = UpOptions.DEFAULT_DATA_DIR;
            int agentPort = 10250;
            String address = "127.0.0.1";
            Duration discoveryTimeout = DEFAULT_DISCOVERY_TIMEOUT;
            Duration shutdownTimeout = Duration.ofSeconds(5);
            UpOptions.Arguments arguments = new UpOptions.Arguments(args);
            while (arguments.hasNext()) {
                String option = arguments.next();
                switch (option) {
                    case "--server" -> server = arguments.value(option);
                    case "--token" -> token = token(arguments.value(option));
                    case "--discovery-token-ca-cert-hash" -> hashes.add(hash(arguments.value(option)));
                    case "--node-name" -> nodeName = UpOptions.nodeName(arguments.value(option));
                    case "--data-dir" -> dataDir = Path.of(arguments.value(option));
                    case "--agent-port" -> agentPort = UpOptions.port(option, arguments.value(option));
                    case "--address" -> address = arguments.value(option);
                    case "--discovery-timeout" -> discoveryTimeout = UpOptions.duration(option, arguments.value(option));
                    case "--shutdown-timeout" -> shutdownTimeout = UpOptions.duration(option, arguments.value(option));
                    default -> throw new UsageException("unknown option '" + option + "' for join\n" + USAGE);
                }
            }
            if (server == null) {
                throw new UsageException("join needs --server https://HOST:PORT, the API server to join\n" + USAGE);
            }
            if (!server.startsWith("https://")) {
                throw new UsageException("--server must be the API server's https:// address, not " + server);
            }
            return new Options(server.replaceAll("/+$", ""), token, List.copyOf(hashes), nodeName,
                    dataDir.toAbsolutePath().normalize(), agentPort, address, discoveryTimeout, shutdownTimeout);
        }

        private static BootstrapToken token(String value) {
            try {
                return BootstrapToken.parse(value);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--token: " + e.getMessage());
            }
        }

        private static String hash(String value) {
            try {
                return CaCertHash.parse(value);
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
        }

        Path kubeconfig() {
            return dataDir.resolve("node-agent-" + nodeName + ".kubeconfig");
        }

        Path bootstrapKubeconfig() {
            return dataDir.resolve(BOOTSTRAP_KUBECONFIG);
        }

        Path caCertificate() {
            return dataDir.resolve(ClusterPki.PKI_DIR).resolve("ca.crt");
        }

        Path servingCertificate() {
            return dataDir.resolve(ClusterPki.PKI_DIR).resolve("node-agent-" + nodeName + ".crt");
        }

        Path servingKey() {
            return dataDir.resolve(ClusterPki.PKI_DIR).resolve("node-agent-" + nodeName + ".key");
        }

        Path clusterIdFile() {
            return dataDir.resolve(ClusterPki.CLUSTER_ID_FILE);
        }
    }

    private final PrintStream out;
    private final Clock clock;

    JoinCommand(PrintStream out, Clock clock) {
        this.out = out;
        this.clock = clock;
    }

    /**
     * Joins (unless already joined) and starts the node agent; the caller closes what is returned.
     *
     * @throws ClusterInfo.DiscoveryException when the API server cannot be trusted with the token and hash given
     */
    JoinedNode start(Options options) throws InterruptedException {
        PidFile pidFile = new PidFile(options.dataDir());
        pidFile.runningProcess().ifPresent(process -> {
            throw new RefusedException("a platform already runs on " + options.dataDir() + " (pid " + process.pid()
                    + "); pass another --data-dir or stop it with: platform down --data-dir " + options.dataDir());
        });
        Optional<X509Certificate> joined = validClientCertificate(options.kubeconfig());
        if (joined.isPresent()) {
            out.println("Node " + options.nodeName() + " has joined before (" + options.kubeconfig() + ", client "
                    + "certificate valid until " + joined.get().getNotAfter().toInstant() + "): starting its agent");
        } else {
            discover(options);
        }
        String clusterId = PlatformMain.readClusterId(options.clusterIdFile());
        String dockerHost = DockerEngines.defaultHost();
        if (DockerEngines.answers(dockerHost)) {
            PlatformLauncher.ensureBusybox(dockerHost);
        } else {
            log.warn("no Docker engine answers at {}: node {} runs its pods as host processes (the process runtime) unless "
                    + "platform.agent.runtime=docker keeps it NotReady until an engine answers", dockerHost, options.nodeName());
        }
        pidFile.writeCurrent();
        ConfigurableApplicationContext agent;
        try {
            agent = PlatformLauncher.nodeAgent(agentSettings(options, clusterId, dockerHost), options.shutdownTimeout())
                    .run();
        } catch (RuntimeException e) {
            pidFile.removeIfCurrent();
            throw new IllegalStateException("the node agent of " + options.nodeName() + " failed to start: "
                    + PlatformLauncher.reason(e), e);
        }
        out.println();
        out.println("This node has joined the cluster (cluster " + clusterId + ").");
        out.println("  node:        " + options.nodeName() + " (client certificate of system:node:"
                + options.nodeName() + " in " + options.kubeconfig() + ")");
        out.println("  agent API:   https://" + options.address() + ":" + options.agentPort());
        out.println("  try:         kubectl get nodes   (on the control plane)");
        out.println("Ctrl-C stops the agent; pod containers keep running. The agent renews its certificates itself.");
        out.println();
        return new JoinedNode(agent, pidFile);
    }

    private void discover(Options options) throws InterruptedException {
        if (options.token() == null || options.caCertHashes().isEmpty()) {
            throw new UsageException("this node has not joined yet (no valid " + options.kubeconfig() + "): join "
                    + "needs --token and --discovery-token-ca-cert-hash (platform token create prints them)\n" + USAGE);
        }
        log.info("discovering the cluster at {} with token id {}", options.server(), options.token().id());
        ClusterInfo.Discovered cluster = ClusterInfo.discover(options.server(), options.token(),
                options.caCertHashes(), options.discoveryTimeout());
        PemFiles.createPrivateDirectory(options.caCertificate().getParent());
        PemFiles.write(options.caCertificate(), cluster.caPem(), PemFiles.WORLD_READABLE);
        PemFiles.write(options.clusterIdFile(), cluster.clusterId() + "\n", PemFiles.WORLD_READABLE);
        KubeconfigFiles.write(options.bootstrapKubeconfig(), KubeconfigFiles.withToken(options.server(),
                cluster.caPem(), KubeconfigFiles.BOOTSTRAP_USER, options.token().value()));
        log.info("trusted the cluster CA of {} (pinned {}); wrote {} and {}", options.server(),
                String.join(", ", cluster.certificateAuthorities().stream().map(CaCertHash::of).toList()),
                options.caCertificate(), options.bootstrapKubeconfig());
    }

    private Optional<X509Certificate> validClientCertificate(Path kubeconfig) {
        if (!Files.isRegularFile(kubeconfig)) {
            return Optional.empty();
        }
        try {
            Config config = KubeconfigFiles.read(kubeconfig);
            return KubeconfigFiles.clientCertificate(config)
                    .filter(certificate -> certificate.getNotAfter().toInstant().isAfter(clock.instant()));
        } catch (PkiException | UncheckedIOException e) {
            return Optional.empty();
        }
    }

    static Map<String, Object> agentSettings(Options options, String clusterId, String dockerHost) {
        Map<String, Object> settings = new HashMap<>();
        settings.put("server.port", options.agentPort());
        settings.put("server.address", options.address());
        settings.put("platform.agent.kubeconfig", options.kubeconfig().toString());
        settings.put("platform.agent.bootstrap-kubeconfig", options.bootstrapKubeconfig().toString());
        settings.put("platform.agent.node-name", options.nodeName());
        settings.put("platform.agent.address", options.address());
        settings.put("platform.agent.cluster-id", clusterId);
        settings.put("platform.agent.tls-cert", options.servingCertificate().toString());
        settings.put("platform.agent.tls-key", options.servingKey().toString());
        settings.put("platform.agent.client-ca", options.caCertificate().toString());
        settings.put("platform.agent.root-dir",
                options.dataDir().resolve("node-agent-" + options.nodeName()).toString());
        settings.put("platform.agent.docker-host", dockerHost);
        return settings;
    }

    /** The node agent {@code join} started; closing stops it and removes the pid file. */
    static final class JoinedNode implements AutoCloseable {

        private final ConfigurableApplicationContext agent;
        private final PidFile pidFile;
        private final AtomicBoolean closed = new AtomicBoolean();
        private final CountDownLatch stopped = new CountDownLatch(1);

        JoinedNode(ConfigurableApplicationContext agent, PidFile pidFile) {
            this.agent = agent;
            this.pidFile = pidFile;
        }

        ConfigurableApplicationContext agent() {
            return agent;
        }

        void awaitClosed() throws InterruptedException {
            stopped.await();
        }

        @Override
        public void close() {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            try {
                agent.close();
                pidFile.removeIfCurrent();
            } finally {
                stopped.countDown();
            }
        }
    }
}
