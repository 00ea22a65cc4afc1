package io.platform.agent.volume;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.jspecify.annotations.Nullable;

/**
 * The {@code type} checks of {@code hostPath} volumes, as the kubelet's hostPath plugin: the {@code ...OrCreate} types
 * make what is missing (a directory 0755 with its parents, an empty file 0644), the others only check what is there.
 */
final class HostPaths {

    /** File type bits of {@code st_mode}. */
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFBLK = 0060000;

    private HostPaths() {}

    /** Checks (or creates) {@code path} as {@code type} requires; the message on failure is the kubelet's. */
    static void check(Path path, @Nullable String type) throws IOException, HostPathTypeException {
        String kind = type == null ? "" : type;
        switch (kind) {
            case "" -> {
                // no checks: whatever is there (or nothing) is mounted
            }
            case "DirectoryOrCreate" -> {
                if (!Files.exists(path)) {
                    makeDirectories(path);
                }
                requireDirectory(path);
            }
            case "Directory" -> requireDirectory(path);
            case "FileOrCreate" -> {
                if (!Files.exists(path)) {
                    makeFile(path);
                }
                requireFile(path);
            }
            case "File" -> requireFile(path);
            case "Socket" -> requireMode(path, S_IFSOCK, "is not a socket file");
            case "CharDevice" -> requireMode(path, S_IFCHR, "is not a character device");
            case "BlockDevice" -> requireMode(path, S_IFBLK, "is not a block device");
            default -> throw new HostPathTypeException(kind + " is an invalid volume type");
        }
    }

    /** A type check that failed, in the kubelet's words. */
    static final class HostPathTypeException extends Exception {
        HostPathTypeException(String message) {
            super(message);
        }
    }

    private static void requireDirectory(Path path) throws HostPathTypeException {
        if (!Files.isDirectory(path)) {
            throw new HostPathTypeException("hostPath type check failed: " + path + " is not a directory");
        }
    }

    private static void requireFile(Path path) throws HostPathTypeException {
        if (!Files.exists(path) || Files.isDirectory(path)) {
            throw new HostPathTypeException("hostPath type check failed: " + path + " is not a file");
        }
    }

    private static void requireMode(Path path, int fileType, String what) throws HostPathTypeException {
        int mode;
        try {
            mode = (Integer) Files.getAttribute(path, "unix:mode");
        } catch (IOException | UnsupportedOperationException e) {
            throw new HostPathTypeException("hostPath type check failed: " + path + " " + what);
        }
        if ((mode & S_IFMT) != fileType) {
            throw new HostPathTypeException("hostPath type check failed: " + path + " " + what);
        }
    }

    /** As {@code os.MkdirAll(path, 0755)}: the missing directories, each 0755 whatever the umask. */
    private static void makeDirectories(Path path) throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null && !Files.exists(parent)) {
            makeDirectories(parent);
        }
        try {
            Files.createDirectory(path);
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (FileAlreadyExistsException e) {
            // made meanwhile: the check that follows decides
        }
    }

    /** As the kubelet's MakeFile: the parent must exist; an empty file 0644. */
    private static void makeFile(Path path) throws IOException {
        try {
            Files.createFile(path);
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (FileAlreadyExistsException e) {
            // made meanwhile: the check that follows decides
        }
    }
}
