package io.platform.server.login;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.convert.DurationStyle;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code platform credential}: the kubectl exec credential plugin. Prints an ExecCredential
 * ({@code client.authentication.k8s.io/v1}) whose token is the id_token: from the cache while valid,
 * renewed with the refresh token once expired, else after a new sign-in (browser with a loopback
 * redirect, or the device flow with {@code --device} or when no browser can be opened). Everything
 * meant for the person goes to stderr: kubectl reads stdout.
 */
public final class CredentialCommand {

    static final String EXEC_API_VERSION = "client.authentication.k8s.io/v1";
    static final String DEFAULT_SCOPES = "openid profile email groups offline_access";
    // Renew a little early: the token must still be valid when the API server checks it.
    private static final Duration EXPIRY_MARGIN = Duration.ofSeconds(30);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Wrong usage; the message says what to type instead. */
    public static final class UsageError extends RuntimeException {
        UsageError(String message) {
            super(message);
        }
    }

    record Options(String issuer, String clientId, @Nullable Path caFile, boolean device, String scopes,
            Path cacheDir, Duration browserTimeout) {

        static Options parse(List<String> args) {
            String issuer = null;
            String clientId = null;
            Path caFile = null;
            boolean device = false;
            String scopes = DEFAULT_SCOPES;
            Path cacheDir = TokenCache.defaultDirectory();
            Duration browserTimeout = Duration.ofMinutes(5);
            List<String> rest = new ArrayList<>(args);
            while (!rest.isEmpty()) {
                String arg = rest.removeFirst();
                int eq = arg.indexOf('=');
                String option = arg.startsWith("--") && eq > 2 ? arg.substring(0, eq) : arg;
                if (eq > 2 && arg.startsWith("--")) {
                    rest.addFirst(arg.substring(eq + 1));
                }
                switch (option) {
                    case "--issuer" -> issuer = value(rest, option);
                    case "--client-id" -> clientId = value(rest, option);
                    case "--ca-file" -> caFile = Path.of(value(rest, option)).toAbsolutePath();
                    case "--device" -> device = true;
                    case "--scopes" -> scopes = value(rest, option).replace(',', ' ');
                    case "--cache-dir" -> cacheDir = Path.of(value(rest, option));
                    case "--browser-timeout" -> browserTimeout = duration(option, value(rest, option));
                    default -> throw new UsageError("unknown option '" + arg + "' for credential");
                }
            }
            if (issuer == null || clientId == null) {
                throw new UsageError("credential needs --issuer URL and --client-id ID (platform login writes them into the kubeconfig)");
            }
            return new Options(issuer, clientId, caFile, device, scopes, cacheDir, browserTimeout);
        }

        private static Duration duration(String option, String value) {
            try {
                return DurationStyle.detectAndParse(value);
            } catch (IllegalArgumentException e) {
                throw new UsageError(option + " must be a duration such as 300s or 5m, not " + value);
            }
        }

        private static String value(List<String> rest, String option) {
            if (rest.isEmpty() || rest.getFirst().startsWith("--")) {
                throw new UsageError(option + " needs a value");
            }
            return rest.removeFirst();
        }
    }

    private final PrintStream out;
    private final PrintStream err;
    private final Clock clock;
    private final Optional<Consumer<URI>> browser;

    /**
     * @param browser opens the authorization URL; empty when no browser can be opened here, in
     *     which case the device flow is used
     */
    public CredentialCommand(PrintStream out, PrintStream err, Clock clock, Optional<Consumer<URI>> browser) {
        this.out = out;
        this.err = err;
        this.clock = clock;
        this.browser = browser;
    }

    /** For {@code platform credential}: the system's browser when there is one. */
    public static CredentialCommand system(PrintStream out, PrintStream err) {
        return new CredentialCommand(out, err, Clock.systemUTC(), systemBrowser(err));
    }

    public int run(List<String> args) {
        Tokens tokens = tokens(Options.parse(args));
        ObjectNode credential = JSON.createObjectNode();
        credential.put("apiVersion", EXEC_API_VERSION);
        credential.put("kind", "ExecCredential");
        ObjectNode status = credential.putObject("status");
        status.put("token", tokens.idToken());
        status.put("expirationTimestamp", tokens.expiry().truncatedTo(ChronoUnit.SECONDS).toString());
        out.println(JSON.writeValueAsString(credential));
        return 0;
    }

    /** A valid id_token: cached, refreshed, or from a new sign-in; the cache keeps the result. */
    Tokens tokens(Options options) {
        TokenCache cache = new TokenCache(options.cacheDir());
        OidcClient client = new OidcClient(options.issuer(), options.clientId(), options.scopes(),
                TrustedCertificates.sslContext(options.caFile()), clock);
        Optional<Tokens> cached = cache.load(options.issuer(), options.clientId());
        if (cached.isPresent() && valid(cached.get())) {
            return cached.get();
        }
        if (cached.isPresent() && cached.get().refreshToken() != null) {
            try {
                Tokens refreshed = client.refresh(cached.get().refreshToken());
                cache.save(options.issuer(), options.clientId(), refreshed);
                return refreshed;
            } catch (OidcClient.OidcException e) {
                err.println("platform: the session with " + options.issuer() + " ended (" + e.getMessage() + "); sign in again");
                cache.remove(options.issuer(), options.clientId());
            }
        }
        Tokens signedIn = signIn(client, options);
        cache.save(options.issuer(), options.clientId(), signedIn);
        return signedIn;
    }

    private Tokens signIn(OidcClient client, Options options) {
        if (options.device() || browser.isEmpty()) {
            return client.device(err);
        }
        Consumer<URI> open = browser.get();
        return client.authorizationCode(uri -> {
            err.println("Opening the browser to sign in to " + options.issuer() + ". If it does not open, visit:");
            err.println("  " + uri);
            open.accept(uri);
        }, options.browserTimeout());
    }

    private boolean valid(Tokens tokens) {
        Instant expiry;
        try {
            expiry = tokens.expiry();
        } catch (RuntimeException e) {
            return false;
        }
        return expiry.isAfter(clock.instant().plus(EXPIRY_MARGIN));
    }

    /** {@code $BROWSER}, else {@code xdg-open} on a desktop session; empty when neither applies. */
    static Optional<Consumer<URI>> systemBrowser(PrintStream err) {
        String configured = System.getenv("BROWSER");
        boolean desktop = System.getenv("DISPLAY") != null || System.getenv("WAYLAND_DISPLAY") != null;
        String command = configured != null && !configured.isBlank() ? configured : desktop ? "xdg-open" : null;
        if (command == null) {
            return Optional.empty();
        }
        return Optional.of(uri -> {
            try {
                new ProcessBuilder(command, uri.toString())
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectError(ProcessBuilder.Redirect.DISCARD)
                        .start();
            } catch (IOException e) {
                err.println("platform: cannot start " + command + " (" + e.getMessage() + "); open the address above yourself");
            }
        });
    }
}
