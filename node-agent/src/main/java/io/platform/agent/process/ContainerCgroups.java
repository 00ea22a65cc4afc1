package io.platform.agent.process;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.platform.agent.runtime.ContainerUsage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A container's cgroup v1 directories, {@code <mount>/<controller>/platform/<pod uid>/<container id>} for memory, cpu,
 * cpuacct and pids, with the container's limits as the kubelet maps them.
 */
final class ContainerCgroups {

    static final List<String> CONTROLLERS = List.of("memory", "cpu", "cpuacct", "pids");
    private static final String PARENT = "platform";
    /** The kernel's CFS period the quota is a share of, as the kubelet's 100 ms. */
    private static final long CFS_PERIOD_MICROS = 100_000;

    private final Path mount;

    ContainerCgroups(Path mount) {
        this.mount = mount;
    }

    /** Whether cgroup v1 is mounted with every controller the runtime needs. */
    boolean available() {
        return CONTROLLERS.stream().allMatch(c -> Files.isDirectory(mount.resolve(c)));
    }

    /** Creates the container's directories with its limits; returns them, one per controller. */
    List<Path> create(String podUid, String containerId, Container spec) {
        List<Path> dirs = new ArrayList<>();
        try {
            for (String controller : CONTROLLERS) {
                Path dir = Files.createDirectories(mount.resolve(controller).resolve(PARENT).resolve(podUid).resolve(containerId));
                dirs.add(dir);
            }
            ResourceRequirements resources = spec.getResources();
            if (resources != null) {
                Quantity memory = quantity(resources.getLimits(), "memory");
                if (memory != null) {
                    write(dirs.get(0), "memory.limit_in_bytes", Quantity.getAmountInBytes(memory).longValue());
                }
                Quantity cpuLimit = quantity(resources.getLimits(), "cpu");
                if (cpuLimit != null) {
                    // as the kubelet: quota = milliCPU * period / 1000, at least 1 ms
                    long milli = Quantity.getAmountInBytes(cpuLimit).multiply(BigDecimal.valueOf(1000)).longValue();
                    write(dirs.get(1), "cpu.cfs_period_us", CFS_PERIOD_MICROS);
                    write(dirs.get(1), "cpu.cfs_quota_us", Math.max(1000, milli * CFS_PERIOD_MICROS / 1000));
                }
                Quantity cpuRequest = quantity(resources.getRequests(), "cpu");
                if (cpuRequest == null) {
                    cpuRequest = cpuLimit;
                }
                if (cpuRequest != null) {
                    // as the kubelet: shares = milliCPU * 1024 / 1000, at least 2
                    long milli = Quantity.getAmountInBytes(cpuRequest).multiply(BigDecimal.valueOf(1000)).longValue();
                    write(dirs.get(1), "cpu.shares", Math.max(2, milli * 1024 / 1000));
                }
                Quantity pids = quantity(resources.getLimits(), "pids");
                if (pids != null) {
                    write(dirs.get(3), "pids.max", Quantity.getAmountInBytes(pids).longValue());
                }
            }
            return dirs;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set up the cgroups of container " + containerId + ": " + e.getMessage(), e);
        }
    }

    /** Whether the kernel's OOM killer killed a process of the container ({@code oom_kill} of {@code memory.oom_control}). */
    static boolean oomKilled(List<String> dirs) {
        for (String dir : dirs) {
            Path control = Path.of(dir, "memory.oom_control");
            if (Files.exists(control)) {
                String oomKills = statValue(control, "oom_kill");
                return oomKills != null && Long.parseLong(oomKills) > 0;
            }
        }
        return false;
    }

    /** CPU nanoseconds and memory (usage, working set = usage minus inactive file pages), as cAdvisor reads them. */
    static Optional<ContainerUsage> usage(List<String> dirs, Instant now) {
        Long cpu = null;
        Long usage = null;
        Long inactiveFile = null;
        for (String dir : dirs) {
            Path path = Path.of(dir);
            if (Files.exists(path.resolve("cpuacct.usage"))) {
                cpu = readLong(path.resolve("cpuacct.usage"));
            }
            if (Files.exists(path.resolve("memory.usage_in_bytes"))) {
                usage = readLong(path.resolve("memory.usage_in_bytes"));
                String inactive = statValue(path.resolve("memory.stat"), "total_inactive_file");
                inactiveFile = inactive == null ? 0L : Long.parseLong(inactive);
            }
        }
        if (cpu == null || usage == null) {
            return Optional.empty();
        }
        return Optional.of(new ContainerUsage(now, cpu, Math.max(0, usage - inactiveFile), usage));
    }

    /** Pids of every process in the container's cgroup (the memory controller's view). */
    static List<Long> processes(List<String> dirs) {
        if (dirs.isEmpty()) {
            return List.of();
        }
        try {
            return Files.readAllLines(Path.of(dirs.getFirst(), "cgroup.procs")).stream()
                    .filter(line -> !line.isBlank())
                    .map(line -> Long.parseLong(line.strip()))
                    .toList();
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Removes the container's directories and, once empty, its pod's; a cgroup with processes left stays. */
    static void remove(List<String> dirs) {
        for (String dir : dirs) {
            Path path = Path.of(dir);
            deleteDirectory(path);
            deleteDirectory(path.getParent());
        }
    }

    /** Removes the pod's directories, once every container's is gone. */
    void removePod(String podUid) {
        for (String controller : CONTROLLERS) {
            deleteDirectory(mount.resolve(controller).resolve(PARENT).resolve(podUid));
        }
    }

    private static void deleteDirectory(Path dir) {
        try {
            // cgroup directories are removed with rmdir even though they list control files
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // not empty yet (processes or child cgroups left): removed with the last of them
        }
    }

    private static void write(Path dir, String file, long value) throws IOException {
        Files.writeString(dir.resolve(file), Long.toString(value));
    }

    private static @Nullable Long readLong(Path file) {
        try {
            return Long.parseLong(Files.readString(file).strip());
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }

    private static @Nullable String statValue(Path file, String key) {
        try {
            for (String line : Files.readAllLines(file)) {
                String[] parts = line.split(" ");
                if (parts.length == 2 && parts[0].equals(key)) {
                    return parts[1];
                }
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    private static @Nullable Quantity quantity(@Nullable Map<String, Quantity> values, String name) {
        return values == null ? null : values.get(name);
    }
}
