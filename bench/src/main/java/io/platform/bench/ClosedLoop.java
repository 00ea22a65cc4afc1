package io.platform.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.jspecify.annotations.Nullable;

/**
 * A closed-loop load: {@code concurrency} threads each run the operation back to back, for the warm-up and then
 * the measurement window. Only operations that complete inside the window count, with their latencies.
 */
final class ClosedLoop {

    /** One operation of one worker; {@code sequence} counts that worker's operations from 0. */
    @FunctionalInterface
    interface Operation {
        void run(int worker, long sequence) throws Exception;
    }

    private ClosedLoop() {}

    /**
     * Runs the load and measures its window; with {@code recording} set, also records the window with JFR's
     * {@code profile} settings into that file.
     */
    static Measurement run(int concurrency, Duration warmup, Duration window, @Nullable Path recording,
            Operation operation) {
        long start = System.nanoTime();
        long windowStart = start + warmup.toNanos();
        long windowEnd = windowStart + window.toNanos();
        Worker[] workers = new Worker[concurrency];
        Thread[] threads = new Thread[concurrency];
        for (int i = 0; i < concurrency; i++) {
            workers[i] = new Worker(i, operation, windowStart, windowEnd);
            threads[i] = Thread.ofPlatform().name("bench-worker-" + i).start(workers[i]);
        }
        CpuUse cpu;
        try {
            Thread.sleep(Duration.ofNanos(Math.max(0, windowStart - System.nanoTime())));
            CpuUse.Snapshot atStart = CpuUse.Snapshot.now();
            try (Recording profile = recording == null ? null : startRecording(recording)) {
                for (Thread thread : threads) {
                    thread.join();
                }
                if (profile != null) {
                    profile.stop();
                }
            }
            cpu = atStart.until(CpuUse.Snapshot.now());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while measuring", e);
        }
        long operations = 0;
        long errors = 0;
        String firstError = null;
        for (Worker worker : workers) {
            if (worker.crash.get() != null) {
                throw new IllegalStateException("worker " + worker.id + " died", worker.crash.get());
            }
            operations += worker.count;
            errors += worker.errors;
            if (firstError == null) {
                firstError = worker.firstError;
            }
        }
        long[] latencies = new long[(int) operations];
        int at = 0;
        for (Worker worker : workers) {
            System.arraycopy(worker.latencies, 0, latencies, at, worker.count);
            at += worker.count;
        }
        Arrays.sort(latencies);
        return new Measurement(operations, errors, window, percentile(latencies, 50), percentile(latencies, 99),
                cpu, firstError);
    }

    private static Recording startRecording(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Recording recording = new Recording(Configuration.getConfiguration("profile"));
            recording.setName(file.getFileName().toString());
            // CPU-time sampling (JDK 25, Linux) also sees threads in native code such as TLS and SQLite
            recording.enable("jdk.CPUTimeSample").with("throttle", "1ms");
            recording.setDestination(file);
            recording.start();
            return recording;
        } catch (IOException | ParseException e) {
            throw new IllegalStateException("cannot record " + file + ": " + e.getMessage(), e);
        }
    }

    /** The nearest-rank percentile, 0 when nothing was measured. */
    static long percentile(long[] sorted, int percent) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    private static final class Worker implements Runnable {

        private final int id;
        private final Operation operation;
        private final long windowStart;
        private final long windowEnd;
        private final AtomicReference<@Nullable Throwable> crash = new AtomicReference<>();
        private long[] latencies = new long[4096];
        private int count;
        private long errors;
        private @Nullable String firstError;

        Worker(int id, Operation operation, long windowStart, long windowEnd) {
            this.id = id;
            this.operation = operation;
            this.windowStart = windowStart;
            this.windowEnd = windowEnd;
        }

        @Override
        public void run() {
            try {
                long sequence = 0;
                for (long begin = System.nanoTime(); begin < windowEnd; begin = System.nanoTime()) {
                    Exception failure = null;
                    try {
                        operation.run(id, sequence++);
                    } catch (Exception e) {
                        failure = e;
                    }
                    long done = System.nanoTime();
                    if (done < windowStart || done >= windowEnd) {
                        continue;
                    }
                    if (failure == null) {
                        record(done - begin);
                    } else {
                        errors++;
                        if (firstError == null) {
                            firstError = failure.toString();
                        }
                    }
                }
            } catch (Throwable t) {
                crash.set(t);
            }
        }

        private void record(long nanos) {
            if (count == latencies.length) {
                latencies = Arrays.copyOf(latencies, count * 2);
            }
            latencies[count++] = nanos;
        }
    }
}
