package io.platform.server;

import io.platform.api.json.Json;
import io.platform.api.storage.KeyValue;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The portable backup of a store, whatever its backend: gzip'd JSON lines, a header (format,
 * backend, the store, the revision every value was read at, the cluster id), one line per key
 * (key, create and mod revision in the source store, value in base64), and a closing line with the
 * number of keys, so a truncated file is told from a complete one. Written to a temporary file
 * beside the target and moved into place only when complete.
 */
final class BackupFile {

    static final String FORMAT = "platform-store-backup";
    static final int VERSION = 1;

    /** What the backup is of. */
    record Header(String backend, String store, long revision, long compactedRevision, @Nullable String clusterId,
            Instant taken) {}

    /** One key as the source store had it at the header's revision. */
    record Entry(String key, long createRevision, long modRevision, byte[] value) {}

    /** A complete backup, read and checked. */
    record Contents(Header header, List<Entry> entries) {}

    private BackupFile() {}

    /** Starts a backup to {@code file}; nothing appears under that name before {@link Output#finish()}. */
    static Output create(Path file, Header header) {
        Path target = file.toAbsolutePath().normalize();
        try {
            Path temporary = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".partial");
            Writer writer = new BufferedWriter(new OutputStreamWriter(
                    new GZIPOutputStream(Files.newOutputStream(temporary)), StandardCharsets.UTF_8));
            Output output = new Output(target, temporary, writer);
            ObjectNode line = Json.object();
            line.put("format", FORMAT).put("version", VERSION).put("backend", header.backend())
                    .put("store", header.store()).put("revision", header.revision())
                    .put("compactedRevision", header.compactedRevision()).put("clusterId", header.clusterId())
                    .put("taken", header.taken().toString());
            output.write(line);
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a backup beside " + target, e);
        }
    }

    /** A backup being written. */
    static final class Output implements AutoCloseable {
        private final Path target;
        private final Path temporary;
        private final Writer writer;
        private long keys;
        private boolean finished;

        private Output(Path target, Path temporary, Writer writer) {
            this.target = target;
            this.temporary = temporary;
            this.writer = writer;
        }

        void add(KeyValue kv) {
            ObjectNode line = Json.object();
            line.put("key", kv.key()).put("createRevision", kv.createRevision()).put("modRevision", kv.modRevision())
                    .put("value", Base64.getEncoder().encodeToString(kv.value()));
            write(line);
            keys++;
        }

        /** Closes the file with the key count and moves it into place; returns its size in bytes. */
        long finish() {
            ObjectNode line = Json.object();
            line.put("end", true).put("keys", keys);
            write(line);
            try {
                writer.close();
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                finished = true;
                return Files.size(target);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the backup " + target, e);
            }
        }

        long keys() {
            return keys;
        }

        private void write(ObjectNode line) {
            try {
                writer.write(Json.string(line));
                writer.write('\n');
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the backup " + target, e);
            }
        }

        /** Without {@link #finish()}: drops what was written. */
        @Override
        public void close() {
            if (finished) {
                return;
            }
            try {
                writer.close();
                Files.deleteIfExists(temporary);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove the unfinished backup " + temporary, e);
            }
        }
    }

    /**
     * Reads a whole backup, checking its header and that it is complete.
     *
     * @throws IllegalArgumentException naming what is wrong when {@code file} is not a complete backup
     */
    static Contents read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no backup at " + file);
        }
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
            Header header = header(file, reader.readLine());
            List<Entry> entries = new ArrayList<>();
            String text;
            while ((text = reader.readLine()) != null) {
                JsonNode line = Json.parseObject(text.getBytes(StandardCharsets.UTF_8));
                if (line.has("end")) {
                    long count = line.path("keys").asLong(-1);
                    if (count != entries.size() || reader.readLine() != null) {
                        throw notABackup(file, "it says " + count + " keys but holds " + entries.size());
                    }
                    return new Contents(header, entries);
                }
                if (!line.path("key").isString() || !line.path("value").isString()) {
                    throw notABackup(file, "line " + (entries.size() + 2) + " is not a key");
                }
                entries.add(new Entry(line.path("key").asString(), line.path("createRevision").asLong(),
                        line.path("modRevision").asLong(), Base64.getDecoder().decode(line.path("value").asString())));
            }
            throw notABackup(file, "it ends after " + entries.size() + " keys without its closing line (cut short?)");
        } catch (InvalidBackupException e) {
            throw e;
        } catch (IOException | JacksonException | IllegalArgumentException e) {
            // unreadable gzip, a line that is not JSON, a value that is not base64
            throw notABackup(file, e.getMessage());
        }
    }

    private static Header header(Path file, @Nullable String text) {
        if (text == null) {
            throw notABackup(file, "it is empty");
        }
        JsonNode line = Json.parseObject(text.getBytes(StandardCharsets.UTF_8));
        if (!FORMAT.equals(line.path("format").asString(""))) {
            throw notABackup(file, "it does not start with a " + FORMAT + " header");
        }
        if (line.path("version").asInt() != VERSION) {
            throw notABackup(file, "its format version is " + line.path("version") + "; this platform reads "
                    + VERSION);
        }
        try {
            return new Header(line.path("backend").asString(""), line.path("store").asString(""),
                    line.path("revision").asLong(), line.path("compactedRevision").asLong(),
                    line.path("clusterId").isString() ? line.path("clusterId").asString() : null,
                    Instant.parse(line.path("taken").asString("")));
        } catch (DateTimeParseException e) {
            throw notABackup(file, "its header has no valid time");
        }
    }

    private static InvalidBackupException notABackup(Path file, @Nullable String reason) {
        return new InvalidBackupException("backup " + file + " cannot be restored: " + reason);
    }

    /** The file is not a complete backup of this format. */
    static final class InvalidBackupException extends IllegalArgumentException {
        InvalidBackupException(String message) {
            super(message);
        }
    }
}
