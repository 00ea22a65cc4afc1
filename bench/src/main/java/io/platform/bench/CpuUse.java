package io.platform.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

/**
 * How busy the CPUs were during a window, in percent of all cores: this JVM (harness, clients and API server)
 * and the whole machine (also the etcd or PostgreSQL server, and anything else running). On a shared machine the
 * difference says how much of it other work took, which the figures should be read against.
 *
 * @param jvmPercent this JVM's CPU time over the window's wall time times the cores
 * @param machinePercent busy (not idle, not I/O wait) CPU time of the machine, from {@code /proc/stat}; -1 when
 *     the system does not offer it
 */
record CpuUse(double jvmPercent, double machinePercent) {

    private static final Path PROC_STAT = Path.of("/proc/stat");

    /** The counters at one moment; {@link #until} turns two of them into a {@link CpuUse}. */
    record Snapshot(long nanos, long jvmCpuNanos, long machineBusyTicks, long machineTotalTicks) {

        static Snapshot now() {
            long[] machine = machineTicks();
            return new Snapshot(System.nanoTime(), processCpuTime(), machine[0], machine[1]);
        }

        CpuUse until(Snapshot end) {
            int cores = Runtime.getRuntime().availableProcessors();
            double wall = (end.nanos - nanos) * (double) cores;
            double jvm = wall <= 0 ? 0 : 100 * (end.jvmCpuNanos - jvmCpuNanos) / wall;
            long total = end.machineTotalTicks - machineTotalTicks;
            double machine = machineTotalTicks < 0 || total <= 0 ? -1
                    : 100.0 * (end.machineBusyTicks - machineBusyTicks) / total;
            return new CpuUse(jvm, machine);
        }
    }

    /**
     * For the progress line: the shares, and this JVM's CPU time per operation, which busy neighbours on the
     * machine disturb much less than throughput.
     */
    String summary(long operations, Duration window) {
        double cpuNanos = jvmPercent / 100 * Runtime.getRuntime().availableProcessors() * window.toNanos();
        String perOperation = operations == 0 ? "" : ", %.2f ms per op".formatted(cpuNanos / operations / 1e6);
        return (machinePercent < 0 ? "cpu: this JVM %.0f %%".formatted(jvmPercent)
                : "cpu: this JVM %.0f %%, machine %.0f %%".formatted(jvmPercent, machinePercent)) + perOperation;
    }

    private static long processCpuTime() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : 0;
    }

    /** Busy and total ticks of all CPUs: the first line of {@code /proc/stat}, or -1s where there is none. */
    private static long[] machineTicks() {
        try {
            String cpu = Files.readAllLines(PROC_STAT).getFirst();
            long[] fields = Arrays.stream(cpu.substring("cpu".length()).strip().split("\\s+"))
                    .mapToLong(Long::parseLong).toArray();
            // user nice system idle iowait irq softirq steal ...; guest time is already in user
            long total = Arrays.stream(fields, 0, Math.min(fields.length, 8)).sum();
            long idle = fields[3] + (fields.length > 4 ? fields[4] : 0);
            return new long[] {total - idle, total};
        } catch (IOException | RuntimeException e) {
            return new long[] {-1, -1};
        }
    }
}
