package io.platform.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.convert.DurationStyle;

/**
 * What one run measures and for how long. Each setting comes from an argument ({@code --duration 10s} or
 * {@code --duration=10s}), else the system property {@code bench.<name>}, else its default; the defaults make
 * a run on all three backends take about two minutes.
 *
 * @param jitWarmup how long API creates run on a throwaway SQLite store before the first phase, unmeasured: the
 *     API server's code is shared by every backend and takes far longer to compile than one phase's warm-up
 * @param warmup how long each phase runs before its measurement window opens (connection pools, caches, the
 *     backend's client code)
 * @param duration the measurement window of each phase
 * @param writers concurrent {@code store.create} callers in the raw store phase
 * @param clients concurrent HTTPS clients, each on its own keep-alive connection, in the API phase
 * @param valueSize approximate size in bytes of each ConfigMap written
 * @param backends the store backends to measure, in order
 * @param profileDir where to write a JFR recording ({@code profile} settings) of each phase's measurement window,
 *     {@code <backend>-store.jfr} and {@code <backend>-api.jfr}; none when null
 */
record BenchOptions(Duration jitWarmup, Duration warmup, Duration duration, int writers, int clients, int valueSize,
        List<Backend> backends, @Nullable Path profileDir) {

    static final String USAGE = """
            usage: bench [--backends sqlite,postgres,etcd] [--jit-warmup 90s] [--warmup 5s] [--duration 10s] [--writers 16] \
            [--clients 16] [--value-size 1024] [--profile DIR]
              (each also as the system property bench.<name>, e.g. -Dbench.duration=20s)""";

    private static final Map<String, String> DEFAULTS = Map.of(
            "jit-warmup", "90s",
            "warmup", "5s",
            "duration", "10s",
            "writers", "16",
            "clients", "16",
            "value-size", "1024",
            "backends", "sqlite,postgres,etcd",
            "profile", "");

    BenchOptions {
        if (jitWarmup.isNegative() || warmup.isNegative() || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("jit-warmup and warmup must not be negative and duration must be positive");
        }
        if (writers < 1 || clients < 1 || valueSize < 1) {
            throw new IllegalArgumentException("writers, clients and value-size must be at least 1");
        }
        if (backends.isEmpty()) {
            throw new IllegalArgumentException("no backend to measure; choose from " + Arrays.toString(Backend.values()));
        }
        backends = List.copyOf(backends);
    }

    /** Where to record {@code phase} of {@code backend}, or null when not profiling. */
    @Nullable Path recording(Backend backend, String phase) {
        return profileDir == null ? null : profileDir.resolve(backend.label() + "-" + phase + ".jfr");
    }

    /**
     * Reads the settings.
     *
     * @throws IllegalArgumentException on an unknown option or a value that does not parse, naming it
     */
    static BenchOptions parse(String[] args, Properties systemProperties) {
        Map<String, String> values = new HashMap<>(DEFAULTS);
        systemProperties.stringPropertyNames().stream()
                .filter(name -> name.startsWith("bench."))
                .forEach(name -> values.put(known(name.substring("bench.".length())), systemProperties.getProperty(name)));
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "'");
            }
            int equals = arg.indexOf('=');
            if (equals > 0) {
                values.put(known(arg.substring(2, equals)), arg.substring(equals + 1));
            } else if (i + 1 < args.length) {
                values.put(known(arg.substring(2)), args[++i]);
            } else {
                throw new IllegalArgumentException("option " + arg + " needs a value");
            }
        }
        return new BenchOptions(duration(values, "jit-warmup"), duration(values, "warmup"), duration(values, "duration"), number(values, "writers"),
                number(values, "clients"), number(values, "value-size"), backends(values.get("backends")),
                values.get("profile").isBlank() ? null : Path.of(values.get("profile").strip()));
    }

    private static String known(String name) {
        if (!DEFAULTS.containsKey(name)) {
            throw new IllegalArgumentException("unknown option '" + name + "'; known: " + Set.copyOf(DEFAULTS.keySet()));
        }
        return name;
    }

    private static Duration duration(Map<String, String> values, String name) {
        try {
            return DurationStyle.detectAndParse(values.get(name));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + " '" + values.get(name) + "' is not a duration such as 10s or 500ms");
        }
    }

    private static int number(Map<String, String> values, String name) {
        try {
            return Integer.parseInt(values.get(name).strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " '" + values.get(name) + "' is not a whole number");
        }
    }

    private static List<Backend> backends(String list) {
        List<Backend> backends = new ArrayList<>();
        for (String name : list.split(",")) {
            if (!name.isBlank()) {
                backends.add(Backend.named(name.strip()));
            }
        }
        return backends;
    }
}
