package io.platform.agent.volume;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Writes a volume's files so that a container never sees a half-written payload, as the kubelet's
 * AtomicWriter: the files go into a fresh {@code ..<timestamp>} directory, the {@code ..data} link is
 * swapped to it with one rename, and each visible name is a relative link through {@code ..data}
 * ({@code token -> ..data/token}). The volume directory itself is what containers mount, so later
 * payloads (a refreshed token, a changed ConfigMap) appear inside running containers.
 */
public final class AtomicVolumeWriter {

    static final String DATA_LINK = "..data";
    private static final String DATA_LINK_TMP = "..data_tmp";
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy_MM_dd_HH_mm_ss.SSSSSSSSS")
            .withZone(ZoneOffset.UTC);

    private final Clock clock;

    public AtomicVolumeWriter(Clock clock) {
        this.clock = clock;
    }

    /**
     * Makes {@code dir} show exactly {@code files} (relative paths without {@code ..}); returns false
     * when it already did and nothing was written.
     */
    public boolean write(Path dir, Map<String, VolumeFile> files) throws IOException {
        for (String path : files.keySet()) {
            validate(path);
        }
        Files.createDirectories(dir);
        Path dataLink = dir.resolve(DATA_LINK);
        Path oldData = Files.isSymbolicLink(dataLink) ? dir.resolve(Files.readSymbolicLink(dataLink)) : null;
        if (oldData != null && Files.isDirectory(oldData) && read(oldData).equals(files)) {
            return false;
        }
        Path data = Files.createDirectory(dir.resolve(".." + TIMESTAMP.format(clock.instant()) + "." + System.nanoTime()));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
        for (Map.Entry<String, VolumeFile> entry : files.entrySet()) {
            Path file = data.resolve(entry.getKey());
            Files.createDirectories(file.getParent());
            Files.write(file, entry.getValue().content());
            Files.setPosixFilePermissions(file, permissions(entry.getValue().mode()));
        }
        Path tmpLink = dir.resolve(DATA_LINK_TMP);
        Files.deleteIfExists(tmpLink);
        Files.createSymbolicLink(tmpLink, data.getFileName());
        Files.move(tmpLink, dataLink, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

        Set<String> visible = new HashSet<>();
        for (String path : files.keySet()) {
            visible.add(Path.of(path).getName(0).toString());
        }
        for (String name : visible) {
            Path link = dir.resolve(name);
            if (!Files.isSymbolicLink(link)) {
                try {
                    Files.createSymbolicLink(link, Path.of(DATA_LINK).resolve(name));
                } catch (FileAlreadyExistsException e) {
                    throw new IOException("volume path " + link + " exists and is not one of the volume's links", e);
                }
            }
        }
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path entry : entries.toList()) {
                String name = entry.getFileName().toString();
                if (name.startsWith("..")) {
                    if (!name.equals(DATA_LINK) && !entry.equals(data)) {
                        deleteTree(entry);
                    }
                } else if (!visible.contains(name) && Files.isSymbolicLink(entry)) {
                    Files.delete(entry);
                }
            }
        }
        return true;
    }

    /** The payload a data directory holds now, by relative path. */
    static Map<String, VolumeFile> read(Path data) throws IOException {
        Map<String, VolumeFile> files = new HashMap<>();
        try (Stream<Path> paths = Files.walk(data)) {
            for (Path path : paths.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).toList()) {
                int mode = mode(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
                files.put(data.relativize(path).toString(), new VolumeFile(Files.readAllBytes(path), mode));
            }
        }
        return files;
    }

    /** Removes a directory and everything under it; nothing when it is not there. */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                try {
                    Files.delete(path);
                } catch (NoSuchFileException e) {
                    // removed meanwhile
                }
            }
        }
    }

    /** As the kubelet's validatePath: relative, no {@code ..} element, no element starting with {@code ..}. */
    static void validate(String path) {
        if (path.isEmpty() || path.startsWith("/") || path.length() > 4096) {
            throw new IllegalArgumentException("invalid volume path \"" + path + "\": must be relative and not empty");
        }
        for (String element : List.of(path.split("/"))) {
            if (element.startsWith("..")) {
                throw new IllegalArgumentException("invalid volume path \"" + path + "\": must not contain '..'");
            }
        }
    }

    /** Permission bits as a set; {@link PosixFilePermission}'s order runs from owner read (0400) to others execute (0001). */
    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        for (PosixFilePermission permission : PosixFilePermission.values()) {
            if ((mode & bit(permission)) != 0) {
                set.add(permission);
            }
        }
        return set;
    }

    static int mode(Set<PosixFilePermission> permissions) {
        int mode = 0;
        for (PosixFilePermission permission : permissions) {
            mode |= bit(permission);
        }
        return mode;
    }

    private static int bit(PosixFilePermission permission) {
        return 1 << (8 - permission.ordinal());
    }
}
