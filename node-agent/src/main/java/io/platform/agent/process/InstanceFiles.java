package io.platform.agent.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The runtime's state directory ({@code <root-dir>/process-runtime}): one {@code <id>.json} per instance, written by
 * the agent, and the supervisor's {@code <id>.pid} and {@code <id>.exit}. Files are private to root, since the
 * environment may hold Secret values.
 */
final class InstanceFiles {

    private static final Logger log = LoggerFactory.getLogger(InstanceFiles.class);
    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private final Path dir;

    InstanceFiles(Path dir) {
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    /** Where the supervisor writes {@code .pid} and {@code .exit} for {@code id}. */
    Path statePrefix(String id) {
        return dir.resolve(id);
    }

    Path supervisorLog(String id) {
        return dir.resolve(id + ".supervisor.log");
    }

    void create() {
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the process runtime's state directory " + dir, e);
        }
    }

    List<InstanceRecord> readAll() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<InstanceRecord> records = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json")).toList()) {
                try {
                    records.add(JSON.readValue(Files.readString(file), InstanceRecord.class));
                } catch (NoSuchFileException e) {
                    // removed meanwhile
                } catch (IOException | JacksonException e) {
                    log.warn("Ignoring unreadable process runtime state {}: {}", file, e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        return records;
    }

    void write(InstanceRecord record) {
        Path file = dir.resolve(record.id() + ".json");
        Path temporary = dir.resolve(record.id() + ".json.tmp");
        try {
            Files.writeString(temporary, JSON.writeValueAsString(record), StandardCharsets.UTF_8);
            try {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Deletes everything kept of {@code id}. */
    void delete(String id) {
        for (String suffix : List.of(".json", ".json.tmp", ".pid", ".exit", ".exit.tmp", ".pid.tmp", ".supervisor.log")) {
            try {
                Files.deleteIfExists(dir.resolve(id + suffix));
            } catch (IOException e) {
                log.warn("Removing {}{} failed: {}", id, suffix, e.getMessage());
            }
        }
    }

    /** The supervisor's {@code PID START_NANOS}, once the command runs. */
    Optional<Started> started(String id) {
        String line = readLine(dir.resolve(id + ".pid"));
        if (line == null) {
            return Optional.empty();
        }
        String[] parts = line.split(" ");
        return Optional.of(new Started(Long.parseLong(parts[0]), nanos(parts[1])));
    }

    /** The supervisor's {@code EXIT_CODE SIGNAL FINISH_NANOS [ERROR]}, once the command ended. */
    Optional<Exit> exit(String id) {
        String line = readLine(dir.resolve(id + ".exit"));
        if (line == null) {
            return Optional.empty();
        }
        String[] parts = line.split(" ", 4);
        return Optional.of(new Exit(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), nanos(parts[2]),
                parts.length > 3 ? parts[3].strip() : null));
    }

    private static @Nullable String readLine(Path file) {
        try {
            String content = Files.readString(file).strip();
            return content.isEmpty() ? null : content;
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static Instant nanos(String epochNanos) {
        long value = Long.parseLong(epochNanos);
        return Instant.ofEpochSecond(value / 1_000_000_000L, value % 1_000_000_000L);
    }

    record Started(long pid, Instant at) {}

    /** How the command ended; {@code error} when it never ran (the supervisor could not exec it). */
    record Exit(int code, int signal, Instant at, @Nullable String error) {}
}
