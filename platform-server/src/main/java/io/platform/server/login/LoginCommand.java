package io.platform.server.login;

import io.fabric8.kubernetes.api.model.AuthInfo;
import io.fabric8.kubernetes.api.model.Cluster;
import io.fabric8.kubernetes.api.model.Config;
import io.fabric8.kubernetes.api.model.Context;
import io.fabric8.kubernetes.api.model.ExecConfig;
import io.fabric8.kubernetes.api.model.NamedAuthInfo;
import io.fabric8.kubernetes.api.model.NamedCluster;
import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.internal.KubeConfigUtils;
import io.platform.server.identity.IdentityProviderApplication;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * {@code platform login}: writes a kubeconfig user whose credentials come from the exec plugin
 * {@code platform credential} (as kubelogin's setup does), a context joining it to the cluster, and
 * makes that context current; then signs in once so the token cache is warm. Without
 * {@code --issuer} it uses the built-in provider of the data dir, trusted through the cluster CA.
 */
public final class LoginCommand {

    /** The issuer URL of the built-in provider, written by the provider when it starts. */
    public static final String ISSUER_FILE = IdentityProviderApplication.ISSUER_FILE;
    public static final String DEFAULT_CLIENT_ID = "kubectl";
    static final String DEFAULT_CLUSTER = "platform";

    record Options(String issuer, String clientId, @Nullable Path caFile, Path kubeconfig, String user,
            String cluster, @Nullable String server, @Nullable String clusterCaData, boolean device, boolean signIn,
            Path cacheDir) {}

    private final PrintStream out;
    private final CredentialCommand credential;
    private final List<String> pluginCommand;

    /**
     * @param pluginCommand how kubectl starts this program: the {@code platform} script, or java
     *     with {@code -jar} and the runnable jar
     */
    public LoginCommand(PrintStream out, CredentialCommand credential, List<String> pluginCommand) {
        this.out = out;
        this.credential = credential;
        this.pluginCommand = List.copyOf(pluginCommand);
    }

    /** The command kubectl runs for the plugin: {@code $PLATFORM_SCRIPT} (set by ./platform), else java -jar. */
    public static List<String> selfCommand() {
        String script = System.getenv("PLATFORM_SCRIPT");
        if (script != null && !script.isBlank()) {
            return List.of(script);
        }
        String classPath = System.getProperty("java.class.path", "");
        String java = ProcessHandle.current().info().command().orElse("java");
        if (classPath.endsWith(".jar") && !classPath.contains(File.pathSeparator)) {
            return List.of(java, "--enable-native-access=ALL-UNNAMED", "-jar", Path.of(classPath).toAbsolutePath().toString());
        }
        return List.of("platform");
    }

    public int run(List<String> args, Path defaultDataDir) {
        Options options = parse(args, defaultDataDir);
        writeKubeconfig(options);
        String context = options.user() + "@" + options.cluster();
        out.println("wrote user " + options.user() + " and context " + context + " (now current) to " + options.kubeconfig());
        if (options.signIn()) {
            List<String> pluginArgs = pluginArgs(options);
            Tokens tokens = credential.tokens(CredentialCommand.Options.parse(pluginArgs.subList(1, pluginArgs.size())));
            String name = tokens.claims().path("preferred_username").asString(tokens.claims().path("sub").asString("?"));
            List<String> groups = new ArrayList<>();
            tokens.claims().path("groups").forEach(group -> groups.add(group.asString()));
            out.println("signed in to " + options.issuer() + " as " + name
                    + (groups.isEmpty() ? "" : " (groups " + String.join(", ", groups) + ")"));
        }
        out.println("try: kubectl --kubeconfig " + options.kubeconfig() + " auth whoami");
        return 0;
    }

    Options parse(List<String> args, Path defaultDataDir) {
        Path dataDir = defaultDataDir;
        String issuer = null;
        String clientId = DEFAULT_CLIENT_ID;
        Path caFile = null;
        Path kubeconfig = null;
        String user = null;
        String cluster = DEFAULT_CLUSTER;
        String server = null;
        boolean device = false;
        boolean signIn = true;
        Path cacheDir = TokenCache.defaultDirectory();
        List<String> rest = new ArrayList<>(args);
        while (!rest.isEmpty()) {
            String arg = rest.removeFirst();
            int eq = arg.indexOf('=');
            String option = arg.startsWith("--") && eq > 2 ? arg.substring(0, eq) : arg;
            if (arg.startsWith("--") && eq > 2) {
                rest.addFirst(arg.substring(eq + 1));
            }
            switch (option) {
                case "--data-dir" -> dataDir = Path.of(value(rest, option));
                case "--issuer" -> issuer = value(rest, option);
                case "--client-id" -> clientId = value(rest, option);
                case "--ca-file" -> caFile = Path.of(value(rest, option)).toAbsolutePath();
                case "--kubeconfig" -> kubeconfig = Path.of(value(rest, option));
                case "--user" -> user = value(rest, option);
                case "--cluster" -> cluster = value(rest, option);
                case "--server" -> server = value(rest, option);
                case "--device" -> device = true;
                case "--no-sign-in" -> signIn = false;
                case "--cache-dir" -> cacheDir = Path.of(value(rest, option));
                default -> throw new CredentialCommand.UsageError("unknown option '" + arg + "' for login");
            }
        }
        dataDir = dataDir.toAbsolutePath().normalize();
        if (issuer == null) {
            Path issuerFile = dataDir.resolve(ISSUER_FILE);
            if (!Files.exists(issuerFile)) {
                throw new CredentialCommand.UsageError("no built-in identity provider has run on " + dataDir
                        + ": start the platform with platform up (or name another provider with --issuer URL --client-id ID)");
            }
            issuer = read(issuerFile).strip();
            if (caFile == null) {
                caFile = dataDir.resolve("pki").resolve("ca.crt");
            }
        }
        String clusterCaData = null;
        Path admin = dataDir.resolve("admin.kubeconfig");
        if (server == null && Files.exists(admin)) {
            Config adminConfig = KubeConfigUtils.parseConfig(admin.toFile());
            if (adminConfig.getClusters() != null && !adminConfig.getClusters().isEmpty()) {
                Cluster adminCluster = adminConfig.getClusters().getFirst().getCluster();
                server = adminCluster.getServer();
                clusterCaData = adminCluster.getCertificateAuthorityData();
            }
        } else if (server != null && caFile != null) {
            clusterCaData = Base64.getEncoder().encodeToString(read(caFile).getBytes(StandardCharsets.UTF_8));
        }
        if (kubeconfig == null) {
            kubeconfig = defaultKubeconfig();
        }
        if (user == null) {
            user = "oidc-" + cluster;
        }
        return new Options(issuer, clientId, caFile, kubeconfig.toAbsolutePath(), user, cluster, server, clusterCaData,
                device, signIn, cacheDir);
    }

    /** The first file of {@code $KUBECONFIG}, else {@code ~/.kube/config}, as kubectl picks the file it writes. */
    static Path defaultKubeconfig() {
        String env = System.getenv("KUBECONFIG");
        if (env != null && !env.isBlank()) {
            return Path.of(env.split(File.pathSeparator)[0]);
        }
        return Path.of(System.getProperty("user.home"), ".kube", "config");
    }

    List<String> pluginArgs(Options options) {
        List<String> args = new ArrayList<>(List.of("credential", "--issuer", options.issuer(), "--client-id", options.clientId()));
        if (options.caFile() != null) {
            args.addAll(List.of("--ca-file", options.caFile().toString()));
        }
        if (options.device()) {
            args.add("--device");
        }
        if (!options.cacheDir().equals(TokenCache.defaultDirectory())) {
            args.addAll(List.of("--cache-dir", options.cacheDir().toAbsolutePath().toString()));
        }
        return args;
    }

    void writeKubeconfig(Options options) {
        File file = options.kubeconfig().toFile();
        Config config = file.exists() && file.length() > 0 ? KubeConfigUtils.parseConfig(file) : new Config();
        config.setApiVersion("v1");
        config.setKind("Config");
        List<String> args = new ArrayList<>(pluginCommand.subList(1, pluginCommand.size()));
        args.addAll(pluginArgs(options));
        ExecConfig exec = new ExecConfig();
        exec.setApiVersion(CredentialCommand.EXEC_API_VERSION);
        exec.setCommand(pluginCommand.getFirst());
        exec.setArgs(args);
        exec.setInteractiveMode("IfAvailable");
        exec.setProvideClusterInfo(false);
        exec.setInstallHint("platform login writes this user; its plugin is the platform's own `platform credential`");
        AuthInfo auth = new AuthInfo();
        auth.setExec(exec);
        config.setUsers(replace(config.getUsers(), new NamedAuthInfo(options.user(), auth), NamedAuthInfo::getName));

        Optional<NamedCluster> existing = Optional.ofNullable(config.getClusters()).orElse(List.of()).stream()
                .filter(c -> options.cluster().equals(c.getName())).findFirst();
        if (options.server() != null) {
            Cluster cluster = existing.map(NamedCluster::getCluster).orElseGet(Cluster::new);
            cluster.setServer(options.server());
            if (options.clusterCaData() != null) {
                cluster.setCertificateAuthorityData(options.clusterCaData());
            }
            config.setClusters(replace(config.getClusters(), new NamedCluster(cluster, options.cluster()), NamedCluster::getName));
        } else if (existing.isEmpty()) {
            throw new CredentialCommand.UsageError("the kubeconfig has no cluster " + options.cluster()
                    + " and the data dir no admin.kubeconfig to copy it from: pass --server URL (and --ca-file)");
        }
        Context context = new Context();
        context.setCluster(options.cluster());
        context.setUser(options.user());
        String contextName = options.user() + "@" + options.cluster();
        config.setContexts(replace(config.getContexts(), new NamedContext(context, contextName), NamedContext::getName));
        config.setCurrentContext(contextName);
        try {
            Path parent = options.kubeconfig().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            KubeConfigUtils.persistKubeConfigIntoFile(config, file);
            if (Files.getFileStore(options.kubeconfig()).supportsFileAttributeView("posix")) {
                Files.setPosixFilePermissions(options.kubeconfig(), PosixFilePermissions.fromString("rw-------"));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static <T> List<T> replace(@Nullable List<T> list, T entry, java.util.function.Function<T, String> name) {
        List<T> result = new ArrayList<>(list == null ? List.of() : list);
        result.removeIf(existing -> name.apply(entry).equals(name.apply(existing)));
        result.add(entry);
        return result;
    }

    private static String value(List<String> rest, String option) {
        if (rest.isEmpty() || rest.getFirst().startsWith("--")) {
            throw new CredentialCommand.UsageError(option + " needs a value");
        }
        return rest.removeFirst();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
