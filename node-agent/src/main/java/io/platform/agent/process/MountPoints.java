package io.platform.agent.process;

import io.platform.agent.volume.PodVolumes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mount points of isolated containers. A container's mount namespace shares the host's file systems, so a volume's
 * container path that does not exist must be made on the host (a directory, or an empty file for a file volume); the
 * runtime makes them before the start and removes them with the last container mounting there, leaving the host as it
 * found it.
 */
final class MountPoints {

    private static final Logger log = LoggerFactory.getLogger(MountPoints.class);
    /** Creation and removal of mount points never interleave, so a path in use is never removed. */
    private static final Object LOCK = new Object();

    private MountPoints() {}

    /** Makes the missing container paths of {@code mounts}; returns what was made, parents first. */
    static List<String> create(List<PodVolumes.Mount> mounts) {
        List<String> created = new ArrayList<>();
        synchronized (LOCK) {
            try {
                for (PodVolumes.Mount mount : mounts) {
                    Path target = Path.of(mount.containerPath()).toAbsolutePath().normalize();
                    List<Path> missing = new ArrayList<>();
                    for (Path at = target; at != null && !Files.exists(at); at = at.getParent()) {
                        missing.addFirst(at);
                    }
                    for (Path path : missing) {
                        if (path.equals(target) && !Files.isDirectory(mount.hostPath())) {
                            Files.createFile(path);
                        } else {
                            Files.createDirectory(path);
                        }
                        created.add(path.toString());
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot make a mount point: " + e.getMessage(), e);
            }
        }
        return created;
    }

    /**
     * Removes what was made for {@code removed}, deepest first, unless another container still mounts at or under it
     * (removing a mount point would detach that container's mount) or something else was put there.
     */
    static void removeUnused(InstanceRecord removed, Collection<InstanceRecord> instances) {
        synchronized (LOCK) {
            List<String> created = removed.createdPaths();
            for (int i = created.size() - 1; i >= 0; i--) {
                Path path = Path.of(created.get(i));
                boolean inUse = instances.stream()
                        .filter(other -> !other.id().equals(removed.id()) && !other.finished())
                        .flatMap(other -> other.mountPoints().stream())
                        .anyMatch(point -> Path.of(point).startsWith(path));
                if (inUse) {
                    continue;
                }
                try {
                    if (Files.isDirectory(path) || Files.size(path) == 0) {
                        Files.deleteIfExists(path);
                    }
                } catch (DirectoryNotEmptyException e) {
                    // something else lives there now: it stays
                } catch (IOException e) {
                    log.debug("Mount point {} stays: {}", path, e.getMessage());
                }
            }
        }
    }
}
