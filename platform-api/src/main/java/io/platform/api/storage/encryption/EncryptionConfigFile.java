package io.platform.api.storage.encryption;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The EncryptionConfiguration file: {@code <data-dir>/encryption-config.yaml} unless
 * {@code platform.api.encryption.config} names another, created with a fresh random AES-256 key on first start and
 * always written whole (a temporary file moved over it) with mode 0600, since it holds the keys.
 */
public final class EncryptionConfigFile {

    public static final String DEFAULT_NAME = "encryption-config.yaml";

    private static final Logger log = LoggerFactory.getLogger(EncryptionConfigFile.class);
    private static final DateTimeFormatter KEY_NAME_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private EncryptionConfigFile() {}

    /** The configuration in {@code file}, first writing the default (Secrets under a new random key) when absent. */
    public static EncryptionConfig loadOrCreate(Path file, Clock clock) {
        if (!Files.exists(file)) {
            try {
                Files.createDirectories(file.toAbsolutePath().getParent());
                String name = newKeyName(clock, Set.of());
                write(file, EncryptionConfig.secretsWith(AesGcm.newKey(name)), false);
                log.info("created {} with the new key '{}' for Secrets", file, name);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the encryption configuration " + file, e);
            } catch (UncheckedIOException e) {
                // another process created it meanwhile: read theirs
                if (!(e.getCause() instanceof FileAlreadyExistsException)) {
                    throw e;
                }
            }
        }
        return load(file);
    }

    /**
     * Reads {@code file}.
     *
     * @throws IllegalArgumentException naming the file when it is not a valid EncryptionConfiguration
     */
    public static EncryptionConfig load(Path file) {
        try {
            return EncryptionConfig.parse(Files.readAllBytes(file), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the encryption configuration " + file, e);
        }
    }

    /** Replaces {@code file} with {@code config}, atomically, mode 0600. */
    public static void write(Path file, EncryptionConfig config) {
        write(file, config, true);
    }

    private static void write(Path file, EncryptionConfig config, boolean replace) {
        Path target = file.toAbsolutePath();
        try {
            Path temporary = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".partial",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try {
                Files.write(temporary, config.toYaml());
                if (replace) {
                    Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } else {
                    // a hard link never replaces: two first starts racing keep one key
                    Files.createLink(target, temporary);
                }
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the encryption configuration " + target, e);
        }
    }

    /** A key name from the time, unique among {@code taken}: {@code key-20260102T030405Z}, then {@code -2}, ... */
    public static String newKeyName(Clock clock, Set<String> taken) {
        String base = "key-" + KEY_NAME_TIME.format(clock.instant());
        String name = base;
        for (int n = 2; taken.contains(name); n++) {
            name = base + "-" + n;
        }
        return name;
    }

    /** A new random 256-bit key named {@code name}. */
    public static EncryptionConfig.Key newKey(String name) {
        return AesGcm.newKey(name);
    }
}
