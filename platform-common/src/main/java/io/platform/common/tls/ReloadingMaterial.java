package io.platform.common.tls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TLS material read from files and read again when their content changes, for servers (polled, see
 * {@link #pollEvery}) and clients (checked when a connection opens, see {@link #reloadIfChanged}). A change that
 * cannot be used (a file that does not parse, a key not belonging to its certificate) keeps the material in use and
 * is logged once; writers replace files atomically, but a certificate and its key in two files are written one after
 * the other, so a mismatched pair is only logged when it is still there at the next check.
 *
 * @param <T> what the files make, e.g. an {@link org.springframework.boot.ssl.SslBundle}
 */
public final class ReloadingMaterial<T> implements AutoCloseable {

    /** How the material is read. */
    public interface Source<T> {

        /** The files the material is read from now (a kubeconfig may name further files), in a fixed order. */
        List<Path> files();

        /**
         * Reads and checks the material. Throws {@link IllegalArgumentException} when it is unusable,
         * {@link KeyMismatchException} when a key does not belong to its certificate, {@link UncheckedIOException}
         * when a file cannot be read.
         */
        T read();
    }

    private static final Logger log = LoggerFactory.getLogger(ReloadingMaterial.class);

    private final String name;
    private final Source<T> source;
    private final Consumer<T> onChange;
    private volatile T current;
    private String fingerprint;
    private @Nullable String refused;
    private @Nullable String refusedReason;
    private @Nullable String warned;
    private @Nullable ScheduledExecutorService poller;

    /**
     * Reads the material now and throws when it is unusable; {@code onChange} is called with every later version
     * that replaces it. {@code name} names the material in log lines.
     */
    public ReloadingMaterial(String name, Source<T> source, Consumer<T> onChange) {
        this.name = name;
        this.source = source;
        this.onChange = onChange;
        this.fingerprint = fingerprint(source.files());
        this.current = source.read();
    }

    /** The material in use. */
    public T current() {
        return current;
    }

    /** Reads the files again when their content changed into usable material; true when the material changed. */
    public synchronized boolean reloadIfChanged() {
        String now;
        try {
            now = fingerprint(source.files());
        } catch (UncheckedIOException e) {
            refuse("unreadable " + e.getMessage(), e.getMessage(), true);
            return false;
        }
        if (now.equals(fingerprint)) {
            return false;
        }
        String reason = refusedReason;
        if (now.equals(refused) && reason != null) {
            // the same content as at the last check reads the same way: only the log line is due, if not yet written
            refuse(now, reason, true);
            return false;
        }
        T read;
        try {
            read = source.read();
        } catch (IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
            // a certificate and its key written file by file mismatch for a moment: news only when it persists
            refuse(now, String.valueOf(e.getMessage()), !(e instanceof KeyMismatchException));
            return false;
        }
        current = read;
        fingerprint = now;
        refused = null;
        refusedReason = null;
        warned = null;
        onChange.accept(read);
        return true;
    }

    /** Checks the files every {@code interval} from now on; zero or negative: never (only on demand). */
    public synchronized void pollEvery(Duration interval) {
        if (interval.isZero() || interval.isNegative() || poller != null) {
            return;
        }
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("tls-reload-" + name).factory());
        executor.scheduleWithFixedDelay(this::pollOnce, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        poller = executor;
    }

    private void pollOnce() {
        try {
            reloadIfChanged();
        } catch (RuntimeException e) {
            // a failing listener must not end the polling: a scheduled task that throws is never run again
            log.warn("checking the TLS material of {} failed: {}", name, e.getMessage());
        }
    }

    private void refuse(String content, String reason, boolean warn) {
        refused = content;
        refusedReason = reason;
        if (warn && !content.equals(warned)) {
            warned = content;
            log.warn("keeping the TLS material in use for {}: {}", name, reason);
        }
    }

    private static String fingerprint(List<Path> files) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK offers no SHA-256", e);
        }
        for (Path file : files) {
            digest.update(file.toString().getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            try {
                digest.update(Files.readAllBytes(file));
            } catch (NoSuchFileException e) {
                // a missing file is content too: reading it is refused once, and its arrival is a change
                digest.update((byte) 1);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
            }
            digest.update((byte) 0);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    @Override
    public synchronized void close() {
        if (poller != null) {
            poller.shutdownNow();
            poller = null;
        }
    }
}
