package io.platform.server;

import io.fabric8.kubernetes.api.model.Config;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.platform.agent.bootstrap.KubeconfigFiles;
import io.platform.api.pki.ClusterPki;
import io.platform.common.client.KubeconfigClients;
import io.platform.common.pki.PemFiles;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.convert.DurationStyle;

/**
 * {@code platform token create | list | delete}: bootstrap tokens with which node agents join, as
 * {@code kubeadm token}, against the running API server with the admin kubeconfig. Each token is a Secret
 * {@code kube-system/bootstrap-token-<id>}; creating or deleting one also publishes {@code kube-public/cluster-info}
 * signed for every valid token ({@link ClusterInfo}), which {@code platform join} verifies.
 */
final class TokenCommand {

    static final Duration DEFAULT_TTL = Duration.ofHours(24);

    static final String USAGE = """
            Usage: platform token create [--ttl 24h] [--description TEXT] [--data-dir DIR]
                   platform token list [--data-dir DIR]
                   platform token delete ID|TOKEN... [--data-dir DIR]
              create       a bootstrap token for node agents to join with; prints the token and the platform join
                           command (--ttl: how long it stays valid, default 24h, 0 = never expires)
              list         every bootstrap token with its time to live, expiry, usages and description
              delete       remove bootstrap tokens, by id (abcdef) or whole token: no node joins with them any more
              --data-dir   the control plane's data dir (default ./.platform): its admin.kubeconfig is used
            """;

    enum Action { CREATE, LIST, DELETE }

    record Options(Action action, Path dataDir, Duration ttl, @Nullable String description, List<String> tokens) {

        static Options parse(List<String> args) {
            if (args.isEmpty()) {
                throw new UsageException("token needs a subcommand: create, list or delete\n" + USAGE);
            }
            Action action = switch (args.getFirst()) {
                case "create" -> Action.CREATE;
                case "list" -> Action.LIST;
                case "delete" -> Action.DELETE;
                default -> throw new UsageException("unknown token subcommand '" + args.getFirst() + "'\n" + USAGE);
            };
            Path dataDir = UpOptions.DEFAULT_DATA_DIR;
            Duration ttl = DEFAULT_TTL;
            String description = null;
            List<String> tokens = new ArrayList<>();
            UpOptions.Arguments arguments = new UpOptions.Arguments(args.subList(1, args.size()));
            while (arguments.hasNext()) {
                String option = arguments.next();
                switch (option) {
                    case "--data-dir" -> dataDir = Path.of(arguments.value(option));
                    case "--ttl" -> ttl = ttl(arguments.value(option), action);
                    case "--description" -> {
                        if (action != Action.CREATE) {
                            throw new UsageException("--description belongs to token create\n" + USAGE);
                        }
                        description = arguments.value(option);
                    }
                    default -> {
                        if (option.startsWith("-") || action != Action.DELETE) {
                            throw new UsageException("unknown argument '" + option + "' for token "
                                    + args.getFirst() + "\n" + USAGE);
                        }
                        tokens.add(tokenId(option));
                    }
                }
            }
            if (action == Action.DELETE && tokens.isEmpty()) {
                throw new UsageException("token delete needs the ID or TOKEN to delete (platform token list shows them)\n"
                        + USAGE);
            }
            return new Options(action, dataDir.toAbsolutePath().normalize(), ttl, description, List.copyOf(tokens));
        }

        private static Duration ttl(String value, Action action) {
            if (action != Action.CREATE) {
                throw new UsageException("--ttl belongs to token create\n" + USAGE);
            }
            try {
                Duration ttl = DurationStyle.detectAndParse(value);
                if (!ttl.isNegative()) {
                    return ttl;
                }
            } catch (IllegalArgumentException | DateTimeParseException e) {
                // reported below with the value given
            }
            throw new UsageException("--ttl must be a duration such as 24h or 30m (0 = never expires), not " + value);
        }

        private static String tokenId(String value) {
            if (BootstrapToken.isId(value)) {
                return value;
            }
            try {
                return BootstrapToken.parse(value).id();
            } catch (IllegalArgumentException e) {
                throw new UsageException("token delete takes token ids ([a-z0-9]{6}) or whole tokens, not '" + value
                        + "'");
            }
        }
    }

    private final PrintStream out;
    private final Clock clock;
    private final SecureRandom random;

    TokenCommand(PrintStream out, Clock clock, SecureRandom random) {
        this.out = out;
        this.clock = clock;
        this.random = random;
    }

    int run(Options options) {
        Path admin = options.dataDir().resolve("admin.kubeconfig");
        if (!Files.isRegularFile(admin)) {
            throw new RefusedException("no admin.kubeconfig in " + options.dataDir() + "; run this on the control "
                    + "plane (platform up) or pass its --data-dir");
        }
        Config adminConfig = KubeconfigFiles.read(admin);
        String server = KubeconfigFiles.server(adminConfig);
        try (KubernetesClient client = KubeconfigClients.fromFile(admin)) {
            switch (options.action()) {
                case CREATE -> create(client, options, adminConfig, admin, server);
                case LIST -> list(client);
                case DELETE -> delete(client, options, adminConfig, admin, server);
            }
        } catch (KubernetesClientException e) {
            throw new IllegalStateException("the API server at " + server + " refused or did not answer: "
                    + (e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage()
                            : e.getMessage()), e);
        }
        return PlatformMain.OK;
    }

    private void create(KubernetesClient client, Options options, Config adminConfig, Path admin, String server) {
        Instant expiration = options.ttl().isZero() ? null : clock.instant().plus(options.ttl());
        BootstrapToken token = null;
        // a new id that happens to exist already is simply drawn again
        for (int attempt = 0; token == null; attempt++) {
            BootstrapToken candidate = BootstrapToken.generate(random);
            try {
                client.secrets().inNamespace(BootstrapToken.NAMESPACE)
                        .resource(candidate.toSecret(expiration, options.description())).create();
                token = candidate;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == 2) {
                    throw e;
                }
            }
        }
        publish(client, options, adminConfig, admin, server);
        out.println(token.value());
        out.println("platform join --server " + server + " --token " + token.value()
                + " --discovery-token-ca-cert-hash " + CaCertHash.of(signingCa(options.dataDir(), adminConfig, admin)));
    }

    private void list(KubernetesClient client) {
        Instant now = clock.instant();
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"TOKEN", "TTL", "EXPIRES", "USAGES", "DESCRIPTION", "EXTRA GROUPS"});
        List<Secret> secrets = new ArrayList<>(client.secrets().inNamespace(BootstrapToken.NAMESPACE).list().getItems());
        secrets.sort(Comparator.comparing(secret -> secret.getMetadata().getName()));
        for (Secret secret : secrets) {
            if (!BootstrapToken.SECRET_TYPE.equals(secret.getType()) || secret.getData() == null) {
                continue;
            }
            Map<String, String> data = secret.getData();
            String expiration = ClusterInfo.decoded(data, "expiration");
            List<String> usages = new ArrayList<>();
            data.keySet().stream().filter(key -> key.startsWith("usage-bootstrap-"))
                    .filter(key -> "true".equals(ClusterInfo.decoded(data, key)))
                    .map(key -> key.substring("usage-bootstrap-".length())).sorted().forEach(usages::add);
            String description = ClusterInfo.decoded(data, "description");
            String groups = ClusterInfo.decoded(data, "auth-extra-groups");
            rows.add(new String[] {ClusterInfo.decoded(data, "token-id") + "." + ClusterInfo.decoded(data, "token-secret"),
                    timeToLive(expiration, now), expiration.isEmpty() ? "<never>" : expiration,
                    usages.isEmpty() ? "<none>" : String.join(",", usages),
                    description.isEmpty() ? "<none>" : description, groups.isEmpty() ? "<none>" : groups});
        }
        TextTable.print(out, rows);
    }

    private void delete(KubernetesClient client, Options options, Config adminConfig, Path admin, String server) {
        List<String> missing = new ArrayList<>();
        for (String id : options.tokens()) {
            boolean deleted = !client.secrets().inNamespace(BootstrapToken.NAMESPACE)
                    .withName(BootstrapToken.secretName(id)).delete().isEmpty();
            if (deleted) {
                out.println("bootstrap token \"" + id + "\" deleted");
            } else {
                missing.add(id);
            }
        }
        publish(client, options, adminConfig, admin, server);
        if (!missing.isEmpty()) {
            throw new IllegalStateException("bootstrap token " + String.join(", ", missing.stream()
                    .map(id -> "\"" + id + "\"").toList()) + " not found (platform token list shows the tokens)");
        }
    }

    private void publish(KubernetesClient client, Options options, Config adminConfig, Path admin, String server) {
        String caPem = PemFiles.certificatesPem(KubeconfigFiles.certificateAuthorities(adminConfig, admin));
        Path clusterIdFile = options.dataDir().resolve(ClusterPki.CLUSTER_ID_FILE);
        if (!Files.isRegularFile(clusterIdFile)) {
            throw new RefusedException("no " + ClusterPki.CLUSTER_ID_FILE + " in " + options.dataDir()
                    + "; pass the control plane's --data-dir");
        }
        ClusterInfo.publish(client, server, caPem, PlatformMain.readClusterId(clusterIdFile), clock);
    }

    /** The CA that signs now ({@code pki/ca.crt}), whose hash join pins; else the first CA clients trust. */
    private static X509Certificate signingCa(Path dataDir, Config adminConfig, Path admin) {
        Path ca = dataDir.resolve(ClusterPki.PKI_DIR).resolve("ca.crt");
        if (Files.isRegularFile(ca)) {
            return PemFiles.parseCertificate(PemFiles.read(ca), ca.toString());
        }
        return KubeconfigFiles.certificateAuthorities(adminConfig, admin).getFirst();
    }

    /** kubeadm's TTL column: the time left, rounded down, or {@code <forever>} and {@code <invalid>}. */
    static String timeToLive(String expiration, Instant now) {
        if (expiration.isEmpty()) {
            return "<forever>";
        }
        try {
            Duration left = Duration.between(now, OffsetDateTime.parse(expiration).toInstant());
            if (left.isNegative() || left.isZero()) {
                return "<invalid>";
            }
            if (left.toDays() > 0) {
                return left.toDays() + "d";
            }
            if (left.toHours() > 0) {
                return left.toHours() + "h";
            }
            return left.toMinutes() > 0 ? left.toMinutes() + "m" : left.toSeconds() + "s";
        } catch (DateTimeParseException e) {
            return "<invalid>";
        }
    }
}
