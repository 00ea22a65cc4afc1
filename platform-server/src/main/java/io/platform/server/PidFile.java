package io.platform.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** {@code <data-dir>/platform.pid}: which process runs {@code up} on this data dir. */
final class PidFile {

    static final String NAME = "platform.pid";

    private final Path file;

    PidFile(Path dataDir) {
        this.file = dataDir.resolve(NAME);
    }

    Path path() {
        return file;
    }

    /** The live process named in the file, if any; a file naming a dead or unrelated process is stale. */
    Optional<ProcessHandle> runningProcess() {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        long pid;
        try {
            pid = Long.parseLong(Files.readString(file).strip());
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
        // Pids are reused: only a live Java process counts as the platform.
        return ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.endsWith("java")).orElse(true));
    }

    void writeCurrent() {
        try {
            Files.writeString(file, ProcessHandle.current().pid() + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Removes the file if it still names this process (a newer {@code up} may have taken over). */
    void removeIfCurrent() {
        try {
            if (Files.exists(file) && Files.readString(file).strip().equals(Long.toString(ProcessHandle.current().pid()))) {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + file, e);
        }
    }

    void removeStale() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + file, e);
        }
    }
}
