package io.platform.agent.volume;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EmptyDirVolumeSource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code emptyDir} volumes as the kubelet's empty-dir plugin: a directory (0777, as upstream, so any user of the pod
 * may write) under the pod's volume directory, shared by all its containers and removed with the pod. With
 * {@code medium: Memory} a tmpfs is mounted on that directory on the host, sized by {@code sizeLimit}, else the sum of
 * the containers' memory limits, else the node's memory, and bind-mounted like any other volume so every container
 * of the pod sees the same files (a tmpfs per container would not be shared). Mounting needs root: without it the
 * directory stays a plain one, said once.
 */
final class EmptyDirs {

    private static final Logger log = LoggerFactory.getLogger(EmptyDirs.class);
    static final String PLUGIN = "empty-dir";

    private final boolean canMount;
    private final AtomicBoolean warned = new AtomicBoolean();

    /** @param canMount whether this process may mount file systems (root) */
    EmptyDirs(boolean canMount) {
        this.canMount = canMount;
    }

    /** Whether this process runs as root, the condition for tmpfs mounts. */
    static boolean root() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** Makes the volume's directory and, for {@code medium: Memory}, its tmpfs. */
    void setUp(Pod pod, EmptyDirVolumeSource source, Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        }
        if (!"Memory".equals(source.getMedium())) {
            return;
        }
        if (!canMount) {
            if (warned.compareAndSet(false, true)) {
                log.warn("emptyDir volumes with medium Memory are plain directories on this node: mounting a tmpfs needs root");
            }
            return;
        }
        if (Mounts.under(dir).contains(dir)) {
            return;
        }
        long size = tmpfsSize(pod, source);
        String problem = Mounts.run(List.of("mount", "-t", "tmpfs", "-o", "size=" + size + ",mode=0777", "tmpfs", dir.toString()));
        if (problem != null) {
            if (warned.compareAndSet(false, true)) {
                log.warn("emptyDir volumes with medium Memory are plain directories on this node: mounting a tmpfs failed: {}", problem);
            }
            return;
        }
        log.info("Pod {}/{}: mounted a tmpfs of {} bytes on {}", pod.getMetadata().getNamespace(), pod.getMetadata().getName(), size, dir);
    }

    /** As the kubelet: {@code sizeLimit}, else the pod's memory limit when every container has one, else the node's memory. */
    static long tmpfsSize(Pod pod, EmptyDirVolumeSource source) {
        if (source.getSizeLimit() != null && positive(source.getSizeLimit())) {
            return bytes(source.getSizeLimit());
        }
        long sum = 0;
        boolean allLimited = pod.getSpec().getContainers() != null && !pod.getSpec().getContainers().isEmpty();
        for (Container container : pod.getSpec().getContainers() == null ? List.<Container>of() : pod.getSpec().getContainers()) {
            Quantity limit = container.getResources() == null || container.getResources().getLimits() == null
                    ? null : container.getResources().getLimits().get("memory");
            if (limit == null) {
                allLimited = false;
                break;
            }
            sum += bytes(limit);
        }
        return allLimited && sum > 0 ? sum : nodeMemory();
    }

    /**
     * The kubelet's eviction message when a volume's usage is over its {@code sizeLimit}, or null; measured by
     * walking the directory (the sizes of its files, as {@code du --apparent-size}).
     */
    static @Nullable String exceeded(String volume, EmptyDirVolumeSource source, Path dir) {
        Quantity limit = source.getSizeLimit();
        if (limit == null || !positive(limit) || !Files.isDirectory(dir)) {
            return null;
        }
        long used = usage(dir);
        if (used <= bytes(limit)) {
            return null;
        }
        return "Usage of EmptyDir volume \"" + volume + "\" exceeds the limit \"" + limit + "\".";
    }

    static long usage(Path dir) {
        long[] total = {0};
        try (Stream<Path> files = Files.walk(dir)) {
            files.forEach(file -> {
                try {
                    BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class,
                            LinkOption.NOFOLLOW_LINKS);
                    if (attributes.isRegularFile()) {
                        total[0] += attributes.size();
                    }
                } catch (IOException e) {
                    // removed while walking: not used any more
                }
            });
        } catch (IOException | UncheckedIOException e) {
            log.debug("measuring {} failed: {}", dir, e.getMessage());
        }
        return total[0];
    }

    private static boolean positive(Quantity quantity) {
        return Quantity.getAmountInBytes(quantity).signum() > 0;
    }

    private static long bytes(Quantity quantity) {
        BigDecimal bytes = Quantity.getAmountInBytes(quantity);
        return bytes.setScale(0, RoundingMode.CEILING).longValueExact();
    }

    /** MemTotal of {@code /proc/meminfo}; a gibibyte where that cannot be read. */
    private static long nodeMemory() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            log.debug("reading /proc/meminfo failed: {}", e.getMessage());
        }
        return 1L << 30;
    }

    /** Mount points on the host and the {@code mount}/{@code umount} commands. */
    static final class Mounts {

        private Mounts() {}

        /** Mount points at or under {@code dir}, from {@code /proc/self/mounts}, deepest first. */
        static List<Path> under(Path dir) {
            List<Path> points = new ArrayList<>();
            try {
                for (String line : Files.readAllLines(Path.of("/proc/self/mounts"), StandardCharsets.UTF_8)) {
                    String[] fields = line.split(" ");
                    if (fields.length > 1) {
                        Path point = Path.of(unescape(fields[1]));
                        if (point.startsWith(dir)) {
                            points.add(point);
                        }
                    }
                }
            } catch (IOException e) {
                log.debug("reading /proc/self/mounts failed: {}", e.getMessage());
            }
            points.sort(Comparator.comparingInt(Path::getNameCount).reversed());
            return points;
        }

        /** Unmounts whatever is mounted at or under {@code dir}, so that it can be removed. */
        static void unmountAll(Path dir) {
            for (Path point : under(dir)) {
                String problem = run(List.of("umount", point.toString()));
                if (problem != null) {
                    log.warn("unmounting {} failed: {}", point, problem);
                }
            }
        }

        /** Runs a command; null when it succeeded, else its output. */
        static @Nullable String run(List<String> command) {
            try {
                Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
                process.getOutputStream().close();
                String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    return String.join(" ", command) + " did not finish";
                }
                return process.exitValue() == 0 ? null : output.isEmpty() ? "exit code " + process.exitValue() : output;
            } catch (IOException e) {
                return e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted";
            }
        }

        /** {@code /proc/mounts} writes space, tab, newline and backslash as octal escapes. */
        private static String unescape(String field) {
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < field.length(); i++) {
                char c = field.charAt(i);
                if (c == '\\' && i + 3 < field.length()) {
                    out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                    i += 3;
                } else {
                    out.append(c);
                }
            }
            return out.toString();
        }
    }
}
