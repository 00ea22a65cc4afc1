package io.platform.server;

import io.platform.api.storage.Store;
import io.platform.api.storage.StoreUrl;
import io.platform.api.storage.encryption.EncryptionConfigFile;
import io.platform.api.storage.encryption.KeyRotation;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.convert.DurationStyle;

/**
 * {@code platform secrets rotate}: a new encryption key for Secrets at rest, as upstream's documented rotation of
 * an EncryptionConfiguration key, done directly on the store (the API server may be stopped): the new key goes
 * first in the configuration file, every Secret is rewritten with it, then the old key is dropped. A running API
 * server re-reads the file when it changes ({@code platform.api.encryption.reload-interval}), so the command
 * waits for it before rewriting when a platform runs on the data dir.
 */
final class SecretsCommand {

    /** Twice the API server's default reload interval: long enough for it to use the new key for every write. */
    static final Duration RUNNING_SERVER_WAIT = Duration.ofSeconds(20);
    static final int DEFAULT_PAGE_SIZE = 500;

    record Options(StoreLocation location, Path configFile, @Nullable Duration reloadWait, int pageSize) {

        static Options parse(List<String> args) {
            if (args.isEmpty() || !args.getFirst().equals("rotate")) {
                throw new UsageException(args.isEmpty() ? "secrets needs a subcommand: rotate"
                        : "unknown secrets subcommand '" + args.getFirst() + "'");
            }
            Path dataDir = UpOptions.DEFAULT_DATA_DIR;
            String storeUrl = null;
            Path configFile = null;
            Duration reloadWait = null;
            int pageSize = DEFAULT_PAGE_SIZE;
            UpOptions.Arguments arguments = new UpOptions.Arguments(args.subList(1, args.size()));
            while (arguments.hasNext()) {
                String option = arguments.next();
                switch (option) {
                    case "--data-dir" -> dataDir = Path.of(arguments.value(option));
                    case "--store" -> storeUrl = arguments.value(option);
                    case "--encryption-config" -> configFile = Path.of(arguments.value(option));
                    case "--reload-wait" -> reloadWait = duration(option, arguments.value(option));
                    case "--page-size" -> pageSize = arguments.positiveValue(option);
                    default -> throw new UsageException("unknown option '" + option + "' for secrets rotate");
                }
            }
            StoreLocation location = new StoreLocation(dataDir, storeUrl);
            return new Options(location, configFile != null ? configFile.toAbsolutePath()
                    : location.dataDir().resolve(EncryptionConfigFile.DEFAULT_NAME), reloadWait, pageSize);
        }
    }

    private final PrintStream out;
    private final Clock clock;

    SecretsCommand(PrintStream out, Clock clock) {
        this.out = out;
        this.clock = clock;
    }

    int run(Options options) {
        if (!Files.exists(options.configFile())) {
            throw new RefusedException("no encryption configuration at " + options.configFile() + ": the API server"
                    + " writes one on its first start (or pass --encryption-config FILE)");
        }
        StoreUrl url = options.location().url();
        if (url instanceof StoreUrl.Sqlite sqlite && !Files.exists(sqlite.file())) {
            throw new IllegalStateException("no store at " + sqlite.file() + " (is --data-dir or --store right?)");
        }
        Duration wait = options.reloadWait();
        if (wait == null) {
            boolean running = new PidFile(options.location().dataDir()).runningProcess().isPresent();
            wait = running ? RUNNING_SERVER_WAIT : Duration.ZERO;
        }
        long begin = System.nanoTime();
        KeyRotation.Result result;
        try (Store store = options.location().open()) {
            result = new KeyRotation(store, options.configFile(), options.pageSize(), clock, out::println)
                    .rotate(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while rotating; the old keys stay in " + options.configFile());
        }
        out.println("re-encrypted " + result.rewritten() + " value" + (result.rewritten() == 1 ? "" : "s") + " of "
                + url.display() + " with key '" + result.newKey() + "' (" + result.values() + " in all now use it"
                + (result.vanished() > 0 ? ", " + result.vanished() + " deleted meanwhile" : "") + ", "
                + PlatformLauncher.seconds(begin) + ")");
        out.println("dropped key" + (result.droppedKeys().size() == 1 ? " " : "s ") + String.join(", ",
                result.droppedKeys().stream().map(k -> "'" + k + "'").toList()) + " from " + options.configFile());
        out.println("a running API server re-reads " + options.configFile().getFileName() + " within"
                + " platform.api.encryption.reload-interval (10s by default); one started with 0 must be restarted");
        return PlatformMain.OK;
    }

    private static Duration duration(String option, String value) {
        try {
            Duration duration = DurationStyle.detectAndParse(value);
            if (!duration.isNegative()) {
                return duration;
            }
        } catch (IllegalArgumentException | DateTimeParseException e) {
            // reported below
        }
        throw new UsageException(option + " must be a duration such as 0s or 30s, not " + value);
    }
}
