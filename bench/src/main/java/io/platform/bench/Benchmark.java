package io.platform.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One run: first the unmeasured JIT warm-up, then for each backend the raw store phase on one new store and the
 * API phase on another new store of the same backend, so neither phase starts with the other's keys.
 */
final class Benchmark {

    /** The JIT warm-up reports its rate per slice of this length, to show whether it levelled off. */
    private static final Duration WARMUP_SLICE = Duration.ofSeconds(10);

    private final BenchOptions options;
    private final PrintStream out;

    Benchmark(BenchOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    List<BackendResult> run() {
        ConfigMapPayload payload = new ConfigMapPayload(options.valueSize());
        out.printf("bench: %d store writers, %d API clients, ConfigMaps of %d bytes; each phase %s warm-up + %s measured%n",
                options.writers(), options.clients(), payload.json(ConfigMapPayload.name(0, 0, 0)).length,
                Durations.text(options.warmup()), Durations.text(options.duration()));
        if (!options.jitWarmup().isZero()) {
            warmUp(payload);
        }
        List<BackendResult> results = new ArrayList<>();
        for (Backend backend : options.backends()) {
            results.add(measure(backend, payload));
        }
        return results;
    }

    /** API creates on SQLite until the JIT has compiled the API server's request path; a failure here is reported only. */
    private void warmUp(ConfigMapPayload payload) {
        long slices = Math.max(1, options.jitWarmup().toNanos() / WARMUP_SLICE.toNanos());
        Duration slice = options.jitWarmup().dividedBy(slices);
        List<String> rates = new ArrayList<>();
        try (SqliteFiles files = SqliteFiles.create(); ApiCreates api = ApiCreates.start(files.newStore())) {
            for (long i = 0; i < slices; i++) {
                rates.add("%.0f".formatted(api.measure(options.clients(), Duration.ZERO, slice, null, payload).perSecond()));
            }
            out.println("JIT warm-up, API creates on sqlite (not measured): " + String.join(", ", rates) + " per second per "
                    + Durations.text(slice));
        } catch (RuntimeException e) {
            out.println("JIT warm-up failed, the first phases run colder: " + e);
        }
    }

    private BackendResult measure(Backend backend, ConfigMapPayload payload) {
        String name = backend.label();
        Optional<String> missing = backend.missing();
        if (missing.isPresent()) {
            out.println(name + ": skipped, " + missing.get());
            return new BackendResult.Skipped(backend, missing.get());
        }
        try (StoreServer server = backend.start()) {
            Measurement store = StoreWrites.measure(server.newStore(), options.writers(), options.warmup(),
                    options.duration(), options.recording(backend, "store"), payload);
            out.println(name + " store writes: " + store.summary());
            Measurement api;
            try (ApiCreates creates = ApiCreates.start(server.newStore())) {
                api = creates.measure(options.clients(), options.warmup(), options.duration(),
                        options.recording(backend, "api"), payload);
            }
            out.println(name + " API creates:  " + api.summary());
            if (store.operations() == 0 || api.operations() == 0) {
                String error = store.operations() == 0 ? store.firstError() : api.firstError();
                return new BackendResult.Failed(backend, "no successful operation in the window; first error: " + error);
            }
            return new BackendResult.Measured(backend, store, api);
        } catch (RuntimeException e) {
            out.println(name + ": failed, " + e);
            return new BackendResult.Failed(backend, e.toString());
        }
    }
}
