package io.platform.server;

import io.platform.agent.docker.ClusterContainers;
import io.platform.agent.docker.DockerEngines;
import io.platform.agent.image.BusyboxImageBuilder;
import io.platform.agent.image.ImageArchiveLoader;
import io.platform.api.pki.ClusterPki;
import io.platform.server.identity.UsersCommand;
import io.platform.server.login.CredentialCommand;
import io.platform.server.login.LoginCommand;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * {@code platform up | down | image load | image build-busybox | backup | restore | users | login |
 * credential | secrets | certs | token | join}: the single runnable of the platform. Exit codes: 0 done, 1 failed, 2 wrong usage or refused (the message says
 * what to change).
 */
public final class PlatformMain {

    static {
        // Logging is configured once for the whole JVM: every component is its own Spring
        // application, and Boot's per-application logging setup would reset it at each start and
        // stop it when the first application closes.
        setIfAbsent("org.springframework.boot.logging.LoggingSystem", "none");
        setIfAbsent("logback.configurationFile", "platform-logback.xml");
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
    }

    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    private static final Logger log = LoggerFactory.getLogger(PlatformMain.class);
    private static final long STOP_TIMEOUT_SECONDS = 20;

    static final String USAGE_TEXT = """
            Usage: platform <command> [options]

            Commands:
              up                     start the platform in this process, in the foreground (Ctrl-C stops it;
                                     pod containers keep running and are adopted by the next up)
              down                   stop a running up and remove this cluster's pod containers
              image load FILE.tar    load a `docker save` archive into the container runtime
              image build-busybox    make busybox:1.35 from the host's /bin/busybox (no registry needed)
              backup FILE            write a consistent backup of the cluster's store to FILE (the platform may run)
              restore FILE           write a backup into an empty store (with the platform stopped)
              users add|passwd|remove|list
                                     the local users and groups of the built-in OIDC provider (also while up runs)
              login                  write a kubeconfig user that signs in with OIDC (browser or device flow)
                                     through kubectl's exec plugin, then sign in once
              credential             the exec plugin kubectl runs for such a user (prints an ExecCredential)
              secrets rotate         re-encrypt every Secret with a new key, then drop the old key (the platform may run)
              certs check|renew|rotate-ca
                                     certificate expiry, re-issue, cluster CA rotation (`platform certs` lists its options)
              token create|list|delete
                                     bootstrap tokens with which other machines join as nodes (`platform token` lists
                                     its options); create prints the platform join command to run there
              join                   join this machine to a running platform as a node and run its node agent in the
                                     foreground: TLS bootstrap with a token, certificates renewed by the agent itself
              help                   show this text

            Options of up:
              --data-dir DIR              cluster state, CA and kubeconfigs (default ./.platform)
              --api-port PORT             API server HTTPS port (default 6443)
              --console-port PORT         console HTTP port (default 8080)
              --agent-port PORT           node agent HTTPS port (default 10250)
              --bind-address ADDRESS      address the API server and console listen on (default 127.0.0.1)
              --node-name NAME            name of this machine's node (default: the host name)
              --components LIST           which components to start, comma-separated, of
                                          api,scheduler,controllers,agent,console (default: all)
              --no-console                start everything but the console
              --runtime RUNTIME           what runs the node agent's pods: docker, process (host processes; isolated
                                          with namespaces and cgroups as root), simulated, or auto (default: docker
                                          when its engine answers, else process)
              --api-ready-timeout TIME    how long to wait for the API server's /readyz (default 60s)
              --shutdown-timeout TIME     how long each component may finish open requests when stopping (default 5s)
              --identity-port PORT        the built-in OIDC provider's HTTPS port (default 6444; issuer https://ADDRESS:PORT)
              --identity, --no-identity   start the built-in OIDC provider with the API server, or not (default: it
                                          starts with the whole platform, not with a --components selection)
              --store URL                 where the API server keeps the cluster's objects (default sqlite:DATA-DIR/state.db):
                                          sqlite:PATH, postgres://USER@HOST:PORT/DATABASE, etcd://HOST:PORT[,HOST:PORT...],
                                          etcds://... for TLS (files from PLATFORM_API_STORAGE_ETCD_CAFILE, _CERTFILE, _KEYFILE)

            Options of users (all take --data-dir DIR, default ./.platform):
              users add NAME [--group G]... [--email E] [--password-stdin]
                                          add a user; without --password-stdin a password is generated and printed
              users passwd NAME [--password-stdin]
                                          set a new password (generated and printed unless read from stdin)
              users remove NAME           remove a user: its refresh tokens stop working at once
              users list                  list users with their groups and email
            Users appear to the API server under their own name (no prefix) with their groups; grant rights with
            RBAC, e.g. kubectl create rolebinding alice-edit --clusterrole=edit --user=alice -n default.
            Names starting with system: are refused as groups.

            Options of login:
              --issuer URL                the OIDC issuer (default: the built-in provider of --data-dir)
              --client-id ID              the OIDC client id (default kubectl)
              --ca-file FILE              CA that signed the issuer's certificate (default for the built-in
                                          provider: DATA-DIR/pki/ca.crt; else the system's trust store)
              --kubeconfig FILE           the kubeconfig to write (default: first of $KUBECONFIG, else ~/.kube/config)
              --user NAME                 the kubeconfig user entry (default oidc-CLUSTER); the context is NAME@CLUSTER
              --cluster NAME              the kubeconfig cluster (default platform, copied from DATA-DIR/admin.kubeconfig)
              --server URL                the API server, when the cluster entry is to be written from scratch
              --device                    sign in with the device flow (a code typed in any browser) instead of a
                                          browser on this machine
              --no-sign-in                only write the kubeconfig; kubectl signs in on first use
              --data-dir DIR              the platform's data dir (default ./.platform)

            Options of credential (written by login; kubectl passes them):
              --issuer URL --client-id ID [--ca-file FILE] [--device] [--scopes LIST] [--cache-dir DIR]
            Tokens are cached in ~/.platform/cache/ and renewed with the refresh token; the browser sign-in
            listens on a loopback port (http://127.0.0.1:PORT/callback) and prints the address on stderr.

            Options of secrets rotate:
              --data-dir DIR              the data dir (default ./.platform)
              --store URL                 the store (default: the data dir's SQLite file)
              --encryption-config FILE    the EncryptionConfiguration (default DATA-DIR/encryption-config.yaml)
              --page-size N               Secrets re-encrypted per page (default 500)
              --reload-wait TIME          how long a running API server takes to re-read the config (default 20s
                                          when a platform runs on DATA-DIR, else 0s)

            Options of token (all take --data-dir DIR, the control plane's, default ./.platform):
              token create [--ttl 24h] [--description TEXT]
                                          a new bootstrap token (kube-system/bootstrap-token-ID), valid for --ttl (0 = never
                                          expires); prints the token and the join command with the CA's public key hash
              token list                  every bootstrap token with its TTL, expiry, usages and description
              token delete ID|TOKEN...    delete bootstrap tokens; nodes can no longer join with them

            Options of join:
              --server URL                the API server to join, https://HOST:PORT (required)
              --token TOKEN               a bootstrap token from platform token create
              --discovery-token-ca-cert-hash sha256:HEX
                                          the cluster CA's public key hash: the API server is trusted only if its CA has it
              --node-name NAME            this node's name (default: the host name)
              --data-dir DIR              this node's CA, kubeconfigs, certificates and pod volumes (default ./.platform)
              --agent-port PORT           the node agent's HTTPS port (default 10250)
              --address ADDRESS           the node's InternalIP: where its agent listens and the API server calls it
                                          (default 127.0.0.1)
              --discovery-timeout TIME    how long to keep trying to reach the API server (default 5m)
              --shutdown-timeout TIME     how long the agent may finish open requests when stopping (default 5s)
            Join reads kube-public/cluster-info without trusting the server, checks that it is signed for the token
            and that the CA has the hash, then requests the node's client certificate with the token (a
            CertificateSigningRequest the controllers approve and sign) and its serving certificate with the node's
            own identity. Started again on a joined data dir, join needs no token.

            Options of down:
              --data-dir DIR              the data dir the platform runs on (default ./.platform)

            Options of image build-busybox:
              --busybox FILE              the static busybox binary (default /bin/busybox)

            Options of backup:
              --data-dir DIR              the data dir (default ./.platform): its store, and the cluster id recorded
              --store URL                 the store to back up instead of DATA-DIR/state.db, as up's --store
              --page-size N               keys read per request (default 500)
              --etcd-snapshot FILE        etcd only: also (or, without FILE, only) write etcd's own snapshot through
                                          its maintenance API; restore that with etcdutl snapshot restore (etcd 3.4:
                                          etcdctl snapshot restore), not with platform restore
            Every key is read at one revision, in pages, so writes going on meanwhile are simply not in the
            backup; its header records that revision, the backend and the cluster id. Any backend's backup
            restores into any other.

            Options of restore:
              --data-dir DIR              the data dir (default ./.platform): its store, and where a cluster id
                                          missing there is taken from the backup
              --store URL                 the store to write into instead of DATA-DIR/state.db, as up's --store
              --force                     write into a store that is not empty: it ends up holding exactly the
                                          backup's keys (others are deleted)
            The store must be empty (exit code 2 otherwise) and no platform may run on the data dir.
            Restored objects get new resourceVersions: keys are written again in the order of their
            resourceVersion in the backup, continuing from the store's own revision, and the store is then
            compacted to the restored revision, so clients holding an older resourceVersion get 410 Expired
            and list again. Restart every client after a restore: one holding a resourceVersion above the
            restored revision would wait for it (upstream's etcdutl snapshot restore --bump-revision
            --mark-compacted exists for this; restore into a fresh store starts from revision 1).

            The Docker engine is DOCKER_HOST, or unix:///var/run/docker.sock when unset.
            """;

    private final PrintStream out;

    PlatformMain(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        PlatformMain main = new PlatformMain(System.out);
        if (args.length > 0 && args[0].equals("up")) {
            System.exit(main.upInForeground(Arrays.asList(args).subList(1, args.length)));
        }
        if (args.length > 0 && args[0].equals("join")) {
            System.exit(main.joinInForeground(Arrays.asList(args).subList(1, args.length)));
        }
        System.exit(main.run(Arrays.asList(args)));
    }

    /** Every command but {@code up} and {@code join}, which run until stopped. */
    int run(List<String> args) {
        try {
            if (args.isEmpty()) {
                throw new UsageException("no command given");
            }
            List<String> rest = args.subList(1, args.size());
            return switch (args.getFirst()) {
                case "down" -> down(rest);
                case "image" -> image(rest);
                case "backup" -> new BackupCommand(out, Clock.systemUTC()).run(BackupCommand.Options.parse(rest));
                case "restore" -> new RestoreCommand(out).run(RestoreCommand.Options.parse(rest));
                case "secrets" -> new SecretsCommand(out, Clock.systemUTC()).run(SecretsCommand.Options.parse(rest));
                case "certs" -> new CertsCommand(out, Clock.systemUTC()).run(CertsCommand.Options.parse(rest));
                case "token" -> new TokenCommand(out, Clock.systemUTC(), new SecureRandom())
                        .run(TokenCommand.Options.parse(rest));
                case "users" -> new UsersCommand(out, System.in).run(rest, UpOptions.DEFAULT_DATA_DIR);
                case "login" -> new LoginCommand(out, CredentialCommand.system(out, System.err),
                        LoginCommand.selfCommand()).run(rest, UpOptions.DEFAULT_DATA_DIR);
                case "credential" -> CredentialCommand.system(out, System.err).run(rest);
                case "help", "--help", "-h" -> {
                    out.print(USAGE_TEXT);
                    yield OK;
                }
                default -> throw new UsageException("unknown command '" + args.getFirst() + "'");
            };
        } catch (UsageException e) {
            System.err.println("platform: " + e.getMessage());
            System.err.println();
            System.err.print(USAGE_TEXT);
            return USAGE;
        } catch (RefusedException | UsersCommand.UsageError | CredentialCommand.UsageError e) {
            System.err.println("platform: " + e.getMessage());
            return USAGE;
        } catch (RuntimeException e) {
            System.err.println("platform: " + PlatformLauncher.reason(e));
            return FAILED;
        }
    }

    private int upInForeground(List<String> args) {
        RunningPlatform platform;
        try {
            platform = up(UpOptions.parse(args));
        } catch (UsageException e) {
            System.err.println("platform: " + e.getMessage());
            System.err.println();
            System.err.print(USAGE_TEXT);
            return USAGE;
        } catch (PlatformLauncher.LaunchException e) {
            return FAILED;
        } catch (RuntimeException e) {
            log.error("up failed: {}", PlatformLauncher.reason(e));
            return FAILED;
        }
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("platform-shutdown").unstarted(platform::close));
        try {
            platform.awaitClosed();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            platform.close();
        }
        return OK;
    }

    /** {@code join}: joins (when not joined yet), then runs the node agent until Ctrl-C. */
    private int joinInForeground(List<String> args) {
        JoinCommand.JoinedNode node;
        try {
            node = new JoinCommand(out, Clock.systemUTC()).start(JoinCommand.Options.parse(args));
        } catch (UsageException e) {
            System.err.println("platform: " + e.getMessage());
            return USAGE;
        } catch (RefusedException e) {
            System.err.println("platform: " + e.getMessage());
            return USAGE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return FAILED;
        } catch (RuntimeException e) {
            System.err.println("platform: join failed: " + PlatformLauncher.reason(e));
            return FAILED;
        }
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("platform-shutdown").unstarted(node::close));
        try {
            node.awaitClosed();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            node.close();
        }
        return OK;
    }

    /** Starts the platform and prints where to reach it; the caller closes it. */
    RunningPlatform up(UpOptions options) {
        RunningPlatform platform = PlatformLauncher.start(options);
        ClusterPki pki = platform.pki();
        out.println();
        out.println("The platform is up (cluster " + pki.clusterId() + ", node " + options.nodeName() + ").");
        if (platform.context(Component.API).isPresent()) {
            out.println("  API server:  " + options.apiServerUrl());
        }
        out.println("  kubeconfig:  " + pki.adminKubeconfig());
        if (platform.context(Component.CONSOLE).isPresent()) {
            out.println("  console:     " + options.consoleUrl());
        }
        out.println("  try:         kubectl --kubeconfig " + pki.adminKubeconfig() + " get nodes");
        if (platform.context(Component.API).isPresent() && options.identity()) {
            out.println("  sign-in:     " + options.identityIssuer() + " (built-in OIDC provider, client id kubectl)");
            out.println("               add a person:  platform users add NAME --group GROUP");
            out.println("               then they run: platform login   (writes a kubeconfig user; kubectl signs in"
                    + " through the browser, or --device)");
            out.println("               grant rights:  kubectl create clusterrolebinding NAME-view --clusterrole=view"
                    + " --user=NAME");
        }
        out.println("Ctrl-C stops the platform; pod containers keep running. `platform down` removes them too.");
        out.println();
        return platform;
    }

    private int down(List<String> args) {
        Path dataDir = UpOptions.DEFAULT_DATA_DIR;
        UpOptions.Arguments arguments = new UpOptions.Arguments(args);
        while (arguments.hasNext()) {
            String option = arguments.next();
            if (!option.equals("--data-dir")) {
                throw new UsageException("unknown option '" + option + "' for down");
            }
            dataDir = Path.of(arguments.value(option));
        }
        dataDir = dataDir.toAbsolutePath().normalize();
        PidFile pidFile = new PidFile(dataDir);
        Optional<ProcessHandle> running = pidFile.runningProcess();
        if (running.isPresent()) {
            stop(running.get());
        } else {
            out.println("no platform is running on " + dataDir);
        }
        pidFile.removeStale();

        Path clusterIdFile = dataDir.resolve(ClusterPki.CLUSTER_ID_FILE);
        if (!Files.exists(clusterIdFile)) {
            out.println("no cluster in " + dataDir + ": no containers to remove");
            return OK;
        }
        String clusterId = readClusterId(clusterIdFile);
        String dockerHost = DockerEngines.defaultHost();
        if (!DockerEngines.answers(dockerHost)) {
            out.println("no container runtime answers at " + dockerHost + ": no containers to remove");
            return OK;
        }
        int removed = ClusterContainers.removeAll(dockerHost, clusterId);
        out.println("removed " + removed + " container" + (removed == 1 ? "" : "s") + " of cluster " + clusterId);
        return OK;
    }

    private void stop(ProcessHandle process) {
        out.println("stopping the platform (pid " + process.pid() + ")");
        process.destroy();
        try {
            process.onExit().get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            out.println("stopped");
        } catch (TimeoutException e) {
            out.println("still running after " + STOP_TIMEOUT_SECONDS + "s: killing pid " + process.pid());
            process.destroyForcibly();
            process.onExit().join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for pid " + process.pid() + " to stop");
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot wait for pid " + process.pid() + ": " + e.getMessage());
        }
    }

    static String readClusterId(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage());
        }
    }

    private int image(List<String> args) {
        if (args.isEmpty()) {
            throw new UsageException("image needs a subcommand: load FILE.tar or build-busybox");
        }
        String dockerHost = DockerEngines.defaultHost();
        switch (args.getFirst()) {
            case "load" -> {
                if (args.size() != 2) {
                    throw new UsageException("image load takes exactly one FILE.tar");
                }
                Path archive = Path.of(args.get(1));
                requireRuntime(dockerHost);
                ImageArchiveLoader.load(dockerHost, archive);
                out.println("loaded the images of " + archive + " into " + dockerHost);
            }
            case "build-busybox" -> {
                Path busybox = Path.of("/bin/busybox");
                UpOptions.Arguments arguments = new UpOptions.Arguments(args.subList(1, args.size()));
                while (arguments.hasNext()) {
                    String option = arguments.next();
                    if (!option.equals("--busybox")) {
                        throw new UsageException("unknown option '" + option + "' for image build-busybox");
                    }
                    busybox = Path.of(arguments.value(option));
                }
                requireRuntime(dockerHost);
                String image = BusyboxImageBuilder.build(dockerHost, busybox);
                out.println("built " + image + " from " + busybox + " in " + dockerHost);
            }
            default -> throw new UsageException("unknown image subcommand '" + args.getFirst() + "'");
        }
        return OK;
    }

    private static void requireRuntime(String dockerHost) {
        if (!DockerEngines.answers(dockerHost)) {
            throw new IllegalStateException("no container runtime answers at " + dockerHost
                    + "; start a Docker engine or set DOCKER_HOST");
        }
    }

    private static void setIfAbsent(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }
}
