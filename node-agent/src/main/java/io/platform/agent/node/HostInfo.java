package io.platform.agent.node;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** What the node reports about its host: CPUs, memory, disk, kernel, OS, architecture. */
record HostInfo(
        int cpus,
        long memoryBytes,
        @Nullable Long ephemeralStorageBytes,
        String kernelVersion,
        String osImage,
        String architecture,
        String hostname) {

    static HostInfo read() {
        return new HostInfo(
                Runtime.getRuntime().availableProcessors(),
                memTotalBytes(),
                rootFilesystemBytes(),
                firstLine(Path.of("/proc/sys/kernel/osrelease"), System.getProperty("os.version")),
                readOsImage(),
                architecture(System.getProperty("os.arch")),
                readHostname());
    }

    /** Kubernetes' (GOARCH) name of the JVM's architecture. */
    static String architecture(String osArch) {
        return switch (osArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "x86", "i386", "i686" -> "386";
            case "ppc64le" -> "ppc64le";
            case "s390x" -> "s390x";
            default -> osArch;
        };
    }

    private static long memTotalBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    String[] parts = line.split("\\s+");
                    return Long.parseLong(parts[1]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux or no /proc: fall back to what the JVM knows
        }
        return Runtime.getRuntime().maxMemory();
    }

    private static @Nullable Long rootFilesystemBytes() {
        try {
            return Files.getFileStore(Path.of("/")).getTotalSpace();
        } catch (IOException e) {
            return null;
        }
    }

    private static String readOsImage() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/etc/os-release"));
            for (String line : lines) {
                if (line.startsWith("PRETTY_NAME=")) {
                    return line.substring("PRETTY_NAME=".length()).replace("\"", "");
                }
            }
        } catch (IOException e) {
            // fall through to the JVM's name
        }
        return System.getProperty("os.name");
    }

    private static String readHostname() {
        String fromKernel = firstLine(Path.of("/proc/sys/kernel/hostname"), "");
        if (!fromKernel.isEmpty()) {
            return fromKernel;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    private static String firstLine(Path file, String fallback) {
        try {
            return Files.readAllLines(file).stream().findFirst().map(String::strip).orElse(fallback);
        } catch (IOException e) {
            return fallback;
        }
    }
}
