package io.platform.api.audit;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where audit events go: a bounded queue drained by one writer thread, so a request never waits for the disk; a
 * full queue drops the event and counts it (as upstream's batching backend with its buffer full). The file is
 * rotated by size, the old one renamed to {@code NAME-<UTC time>.EXT} (lumberjack's naming, which kube-apiserver
 * uses), keeping at most {@code maxBackups} of them, none older than {@code maxAge}.
 */
public final class AuditLog implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AuditLog.class);
    private static final DateTimeFormatter BACKUP_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm-ss.SSS")
            .withZone(ZoneOffset.UTC);
    private static final byte[] END_OF_QUEUE = new byte[0];

    private final BlockingQueue<byte[]> queue;
    private final Output output;
    private final Thread writer;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private volatile boolean closed;

    private AuditLog(Output output, int queueSize) {
        this.queue = new ArrayBlockingQueue<>(queueSize);
        this.output = output;
        this.writer = Thread.ofPlatform().name("audit-log-writer").daemon().start(this::drain);
    }

    /** A log into {@code file}, rotated at {@code maxSize} bytes. */
    public static AuditLog toFile(Path file, long maxSize, int maxBackups, Duration maxAge, int queueSize, Clock clock) {
        return new AuditLog(new RotatingFile(file.toAbsolutePath(), maxSize, maxBackups, maxAge, clock), queueSize);
    }

    /** A log onto standard output (never rotated). */
    public static AuditLog toStandardOutput(int queueSize) {
        return new AuditLog(new Output() {
            @Override
            public void write(byte[] line) {
                System.out.write(line, 0, line.length);
            }

            @Override
            public void flush() {
                System.out.flush();
            }

            @Override
            public void close() {
                System.out.flush();
            }
        }, queueSize);
    }

    /** Queues one JSON line (without its newline); never blocks. */
    public void add(byte[] event) {
        if (closed || !queue.offer(event)) {
            long count = dropped.incrementAndGet();
            if (Long.bitCount(count) == 1) {
                // 1, 2, 4, 8, ...: a line now and then, not one per dropped event
                log.warn("audit log queue full: {} events dropped so far", count);
            }
        }
    }

    /** Events dropped because the queue was full. */
    public long dropped() {
        return dropped.get();
    }

    /** Events written so far. */
    public long written() {
        return written.get();
    }

    private void drain() {
        try {
            while (true) {
                byte[] event = queue.take();
                if (event == END_OF_QUEUE) {
                    break;
                }
                write(event);
                if (queue.isEmpty()) {
                    output.flush();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("audit log writer stopped: {}", e.getMessage());
        } finally {
            output.close();
        }
    }

    private void write(byte[] event) {
        try {
            byte[] line = Arrays.copyOf(event, event.length + 1);
            line[event.length] = '\n';
            output.write(line);
            written.incrementAndGet();
        } catch (UncheckedIOException e) {
            long count = dropped.incrementAndGet();
            if (Long.bitCount(count) == 1) {
                log.warn("cannot write the audit log ({} events dropped so far): {}", count, e.getMessage());
            }
        }
    }

    /** Writes what is queued, then stops. */
    @Override
    public void close() {
        closed = true;
        try {
            // a writer that stopped drains nothing: never wait for room forever
            if (!queue.offer(END_OF_QUEUE, 10, TimeUnit.SECONDS)) {
                writer.interrupt();
            }
            writer.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private interface Output {
        void write(byte[] bytes);

        void flush();

        void close();
    }

    /** The log file, renamed aside with a timestamp when the next line would take it past {@code maxSize}. */
    static final class RotatingFile implements Output {
        private final Path file;
        private final long maxSize;
        private final int maxBackups;
        private final Duration maxAge;
        private final Clock clock;
        private @Nullable OutputStream out;
        private long size;

        RotatingFile(Path file, long maxSize, int maxBackups, Duration maxAge, Clock clock) {
            this.file = file;
            this.maxSize = maxSize;
            this.maxBackups = maxBackups;
            this.maxAge = maxAge;
            this.clock = clock;
        }

        @Override
        public void write(byte[] bytes) {
            try {
                OutputStream stream = open();
                if (size > 0 && size + bytes.length > maxSize) {
                    stream = rotate();
                }
                stream.write(bytes);
                size += bytes.length;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private OutputStream open() throws IOException {
            if (out == null) {
                Files.createDirectories(file.getParent());
                out = new java.io.BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND), 64 * 1024);
                size = Files.size(file);
            }
            return out;
        }

        private OutputStream rotate() throws IOException {
            closeQuietly();
            Path backup = backupName(clock.instant());
            Files.move(file, backup);
            log.info("audit log {} reached {} bytes: renamed to {}", file, size, backup.getFileName());
            removeOldBackups();
            return open();
        }

        /** {@code NAME-<time>.EXT}, later than every existing backup so names keep sorting by age. */
        Path backupName(Instant now) throws IOException {
            String name = file.getFileName().toString();
            int dot = name.lastIndexOf('.');
            String base = dot <= 0 ? name : name.substring(0, dot);
            String extension = dot <= 0 ? "" : name.substring(dot);
            List<Path> existing = backups();
            String newest = existing.isEmpty() ? "" : existing.getFirst().getFileName().toString();
            Instant time = now;
            Path candidate = file.resolveSibling(base + "-" + BACKUP_TIME.format(time) + extension);
            while (candidate.getFileName().toString().compareTo(newest) <= 0) {
                time = time.plusMillis(1);
                candidate = file.resolveSibling(base + "-" + BACKUP_TIME.format(time) + extension);
            }
            return candidate;
        }

        /** The renamed files, newest first (their timestamps sort as their names do). */
        List<Path> backups() throws IOException {
            String name = file.getFileName().toString();
            int dot = name.lastIndexOf('.');
            String base = dot <= 0 ? name : name.substring(0, dot);
            String extension = dot <= 0 ? "" : name.substring(dot);
            try (Stream<Path> siblings = Files.list(file.getParent())) {
                return siblings.filter(p -> {
                    String n = p.getFileName().toString();
                    return n.startsWith(base + "-") && n.endsWith(extension)
                            && n.length() == base.length() + 1 + 23 + extension.length();
                }).sorted(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed()).toList();
            }
        }

        private void removeOldBackups() throws IOException {
            List<Path> backups = new ArrayList<>(backups());
            Instant oldest = maxAge.isZero() ? Instant.MIN : clock.instant().minus(maxAge);
            for (int i = 0; i < backups.size(); i++) {
                Path backup = backups.get(i);
                boolean tooMany = maxBackups > 0 && i >= maxBackups;
                boolean tooOld = !maxAge.isZero() && Files.getLastModifiedTime(backup).toInstant().isBefore(oldest);
                if (tooMany || tooOld) {
                    Files.deleteIfExists(backup);
                }
            }
        }

        @Override
        public void flush() {
            try {
                if (out != null) {
                    out.flush();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            closeQuietly();
        }

        private void closeQuietly() {
            if (out != null) {
                try {
                    out.close();
                } catch (IOException e) {
                    log.warn("cannot close the audit log {}: {}", file, e.getMessage());
                }
                out = null;
            }
        }
    }
}
