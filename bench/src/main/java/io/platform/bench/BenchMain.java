package io.platform.bench;

import java.util.List;

/**
 * {@code ./platform bench}: measures raw store writes/s and API creates/s with latency percentiles on each store
 * backend in one run and prints them as one table. Exits 2 on bad options, 1 when a backend that is installed
 * could not be measured.
 */
public final class BenchMain {

    private BenchMain() {}

    public static void main(String[] args) {
        BenchOptions options;
        try {
            options = BenchOptions.parse(args, System.getProperties());
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.err.println(BenchOptions.USAGE);
            System.exit(2);
            return;
        }
        List<BackendResult> results = new Benchmark(options, System.out).run();
        System.out.println();
        System.out.print(ResultTable.render(results));
        System.out.flush();
        System.exit(results.stream().anyMatch(BackendResult.Failed.class::isInstance) ? 1 : 0);
    }
}
