package io.platform.server;

import io.platform.api.pki.ClusterPki;
import io.platform.server.identity.IdentityProviderApplication;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.convert.DurationStyle;

/**
 * The options of {@code platform up}; {@code storeUrl} null keeps the default store (SQLite in the data dir);
 * {@code identity} starts the built-in OIDC provider beside the API server on {@code identityPort}: by default
 * with the whole platform, not with a {@code --components} selection (several API servers on one machine would
 * all want its port) unless {@code --identity} asks for it. {@code runtime} is the node agent's ({@code --runtime}).
 */
record UpOptions(
        Path dataDir,
        int apiPort,
        int consolePort,
        int agentPort,
        String bindAddress,
        String nodeName,
        Set<Component> components,
        Duration apiReadyTimeout,
        Duration shutdownTimeout,
        @Nullable String storeUrl,
        boolean identity,
        int identityPort,
        String runtime) {

    static final Path DEFAULT_DATA_DIR = Path.of(".platform");
    /** The node agent's runtimes ({@code platform.agent.runtime}); auto: docker when its engine answers, else process. */
    static final List<String> RUNTIMES = List.of("auto", "docker", "process", "simulated");

    UpOptions {
        components = Set.copyOf(components);
    }

    static UpOptions parse(List<String> args) {
        Path dataDir = DEFAULT_DATA_DIR;
        int apiPort = 6443;
        int consolePort = 8080;
        int agentPort = 10250;
        String bindAddress = "127.0.0.1";
        String nodeName = ClusterPki.hostName();
        Set<Component> components = EnumSet.allOf(Component.class);
        boolean noConsole = false;
        Duration apiReadyTimeout = Duration.ofSeconds(60);
        Duration shutdownTimeout = Duration.ofSeconds(5);
        String storeUrl = null;
        Boolean identity = null;
        boolean componentsGiven = false;
        int identityPort = IdentityProviderApplication.DEFAULT_PORT;
        String runtime = "auto";
        Arguments arguments = new Arguments(args);
        while (arguments.hasNext()) {
            String option = arguments.next();
            switch (option) {
                case "--data-dir" -> dataDir = Path.of(arguments.value(option));
                case "--api-port" -> apiPort = port(option, arguments.value(option));
                case "--console-port" -> consolePort = port(option, arguments.value(option));
                case "--agent-port" -> agentPort = port(option, arguments.value(option));
                case "--bind-address" -> bindAddress = arguments.value(option);
                case "--node-name" -> nodeName = nodeName(arguments.value(option));
                case "--components" -> {
                    components = Component.parseList(arguments.value(option));
                    componentsGiven = true;
                }
                case "--no-console" -> noConsole = true;
                case "--api-ready-timeout" -> apiReadyTimeout = duration(option, arguments.value(option));
                case "--shutdown-timeout" -> shutdownTimeout = duration(option, arguments.value(option));
                // checked by the API server's store configuration, whose error names the accepted forms
                case "--store" -> storeUrl = arguments.value(option);
                case "--identity-port" -> identityPort = port(option, arguments.value(option));
                case "--identity" -> identity = true;
                case "--no-identity" -> identity = false;
                case "--runtime" -> runtime = runtime(arguments.value(option));
                default -> throw new UsageException("unknown option '" + option + "' for up");
            }
        }
        if (noConsole) {
            components = EnumSet.copyOf(components);
            components.remove(Component.CONSOLE);
        }
        return new UpOptions(dataDir, apiPort, consolePort, agentPort, bindAddress, nodeName, components,
                apiReadyTimeout, shutdownTimeout, storeUrl, identity != null ? identity : !componentsGiven, identityPort,
                runtime);
    }

    /** Where clients reach the API server; a wildcard bind address is reached on loopback. */
    String apiServerUrl() {
        return "https://" + urlHost(reachableAddress()) + ":" + apiPort;
    }

    /** The built-in OIDC provider's issuer, as the API server and kubeconfigs name it. */
    String identityIssuer() {
        return IdentityProviderApplication.issuer(reachableAddress(), identityPort);
    }

    String consoleUrl() {
        return "http://" + urlHost(reachableAddress()) + ":" + consolePort;
    }

    /** The address other components use to reach what listens on {@link #bindAddress}. */
    String reachableAddress() {
        return switch (bindAddress) {
            case "0.0.0.0", "" -> "127.0.0.1";
            case "::", "[::]" -> "::1";
            default -> bindAddress;
        };
    }

    Path absoluteDataDir() {
        return dataDir.toAbsolutePath().normalize();
    }

    private static String urlHost(String address) {
        return address.contains(":") && !address.startsWith("[") ? "[" + address + "]" : address;
    }

    static int port(String option, String value) {
        try {
            int port = Integer.parseInt(value);
            if (port < 0 || port > 65535) {
                throw new UsageException(option + " must be a port number (0-65535), not " + value);
            }
            return port;
        } catch (NumberFormatException e) {
            throw new UsageException(option + " must be a port number (0-65535), not " + value);
        }
    }

    // Node names become DNS labels, file names and certificate names: keep them to what Kubernetes allows.
    static String nodeName(String value) {
        if (!value.matches("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?")) {
            throw new UsageException("--node-name must be a lower-case DNS subdomain (a-z, 0-9, '-', '.'), not " + value);
        }
        return value;
    }

    static String runtime(String value) {
        if (!RUNTIMES.contains(value)) {
            throw new UsageException("--runtime must be one of " + String.join(", ", RUNTIMES) + ", not " + value);
        }
        return value;
    }

    static Duration duration(String option, String value) {
        try {
            return DurationStyle.detectAndParse(value);
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new UsageException(option + " must be a duration such as 60s or 2m, not " + value);
        }
    }

    /** Reads {@code --name value} and {@code --name=value} alike. */
    static final class Arguments {

        private final List<String> remaining;

        Arguments(List<String> args) {
            remaining = new ArrayList<>();
            for (String arg : args) {
                int eq = arg.indexOf('=');
                if (arg.startsWith("--") && eq > 2) {
                    remaining.add(arg.substring(0, eq));
                    remaining.add(arg.substring(eq + 1));
                } else {
                    remaining.add(arg);
                }
            }
        }

        boolean hasNext() {
            return !remaining.isEmpty();
        }

        String next() {
            return remaining.removeFirst();
        }

        String value(String option) {
            if (remaining.isEmpty() || remaining.getFirst().startsWith("--")) {
                throw new UsageException(option + " needs a value");
            }
            return remaining.removeFirst();
        }

        /** The option's value as a number above zero. */
        int positiveValue(String option) {
            String value = value(option);
            try {
                int number = Integer.parseInt(value);
                if (number > 0) {
                    return number;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new UsageException(option + " must be a positive number, not " + value);
        }
    }
}
