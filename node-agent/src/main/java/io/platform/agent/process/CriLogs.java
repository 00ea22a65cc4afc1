package io.platform.agent.process;

import io.platform.agent.runtime.LogOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

/**
 * Reads a container's CRI-format log ({@code <RFC3339Nano> stdout|stderr F|P <text>} lines in {@code N.log} and its
 * rotated {@code N.log.1}, {@code N.log.2}, ...) back into its output, as the kubelet's {@code ReadLogs}: since, tail
 * and timestamps applied; a followed log is read again every poll interval until the container stopped.
 */
final class CriLogs {

    /** How many rotated files are looked for at most. */
    private static final int MAX_ROTATED = 64;

    private CriLogs() {}

    /** @param running whether the container still runs: a followed log ends once it does not and the file is read out */
    static Flux<byte[]> read(Path log, LogOptions options, Duration pollInterval, BooleanSupplier running) {
        return Flux.create(sink -> {
            Thread reader = Thread.ofVirtual().name("process-logs-" + log.getFileName()).start(() -> {
                try {
                    copy(log, options, pollInterval, running, sink);
                    sink.complete();
                } catch (InterruptedException e) {
                    sink.complete();
                } catch (IOException | RuntimeException e) {
                    sink.error(e);
                }
            });
            sink.onDispose(reader::interrupt);
        }, FluxSink.OverflowStrategy.BUFFER);
    }

    private static void copy(Path log, LogOptions options, Duration pollInterval, BooleanSupplier running,
            FluxSink<byte[]> sink) throws IOException, InterruptedException {
        Emitter emitter = new Emitter(options, sink);
        // what exists now is the history: rotated files oldest first, then the current one
        for (int i = MAX_ROTATED; i >= 1; i--) {
            Path rotated = log.resolveSibling(log.getFileName() + "." + i);
            try {
                Files.readAllLines(rotated, StandardCharsets.UTF_8).forEach(emitter::line);
            } catch (NoSuchFileException e) {
                // not there (or rotated away meanwhile, older than anything asked for then)
            }
        }
        CurrentFile current = CurrentFile.open(log);
        if (current != null) {
            current.readLines(emitter::line);
        }
        emitter.endOfHistory();
        if (!options.follow()) {
            if (current != null) {
                current.close();
            }
            return;
        }
        try {
            while (!sink.isCancelled()) {
                boolean wasRunning = running.getAsBoolean();
                if (current == null) {
                    current = CurrentFile.open(log);
                }
                int lines = current == null ? 0 : current.readLines(emitter::line);
                if (lines == 0 && current != null && current.replaced(log)) {
                    // rotated: what reached the old file before the rename is read out through the open channel
                    current.readLines(emitter::line);
                    current.close();
                    current = CurrentFile.open(log);
                    continue;
                }
                if (lines == 0) {
                    if (!wasRunning) {
                        return;
                    }
                    Thread.sleep(pollInterval);
                }
            }
        } finally {
            if (current != null) {
                current.close();
            }
        }
    }

    /** The log file being written, read by position; an unfinished last line waits for its end. */
    private static final class CurrentFile {
        private final FileChannel channel;
        private final @Nullable Object fileKey;
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
        private final ByteBuffer buffer = ByteBuffer.allocate(65536);
        private long position;

        private CurrentFile(FileChannel channel, @Nullable Object fileKey) {
            this.channel = channel;
            this.fileKey = fileKey;
        }

        static @Nullable CurrentFile open(Path log) throws IOException {
            try {
                Object key = Files.readAttributes(log, BasicFileAttributes.class).fileKey();
                return new CurrentFile(FileChannel.open(log, StandardOpenOption.READ), key);
            } catch (NoSuchFileException e) {
                return null;
            }
        }

        int readLines(Consumer<String> lines) throws IOException {
            int count = 0;
            while (true) {
                buffer.clear();
                int read = channel.read(buffer, position);
                if (read <= 0) {
                    return count;
                }
                position += read;
                byte[] bytes = buffer.array();
                int start = 0;
                for (int i = 0; i < read; i++) {
                    if (bytes[i] == '\n') {
                        pending.write(bytes, start, i - start);
                        lines.accept(pending.toString(StandardCharsets.UTF_8));
                        pending.reset();
                        count++;
                        start = i + 1;
                    }
                }
                pending.write(bytes, start, read - start);
            }
        }

        /** Whether the path now names another file (the supervisor rotated this one away). */
        boolean replaced(Path log) throws IOException {
            try {
                return !Objects.equals(fileKey, Files.readAttributes(log, BasicFileAttributes.class).fileKey());
            } catch (NoSuchFileException e) {
                return false;
            }
        }

        void close() throws IOException {
            channel.close();
        }
    }

    /**
     * Turns CRI lines into output: a partial (P) entry is held until its final (F) one, so since and tail count whole
     * lines; with a tail, the history's last lines are held until it has been read.
     */
    private static final class Emitter {
        private final LogOptions options;
        private final FluxSink<byte[]> sink;
        private final Deque<byte[]> tail = new ArrayDeque<>();
        private boolean history = true;
        private @Nullable Entry partial;

        Emitter(LogOptions options, FluxSink<byte[]> sink) {
            this.options = options;
            this.sink = sink;
        }

        void line(String line) {
            Entry entry = Entry.parse(line);
            if (entry == null) {
                return;
            }
            Entry whole = partial == null ? entry : partial.append(entry);
            if (!entry.complete()) {
                partial = whole;
                return;
            }
            partial = null;
            if (options.since() != null && whole.time().isBefore(options.since())) {
                return;
            }
            byte[] out = ((options.timestamps() ? whole.timestamp() + " " : "") + whole.text() + "\n")
                    .getBytes(StandardCharsets.UTF_8);
            Integer tailLines = options.tailLines();
            if (history && tailLines != null) {
                tail.addLast(out);
                while (tail.size() > tailLines) {
                    tail.removeFirst();
                }
            } else {
                sink.next(out);
            }
        }

        void endOfHistory() {
            tail.forEach(sink::next);
            tail.clear();
            history = false;
        }
    }

    private record Entry(String timestamp, Instant time, boolean complete, String text) {

        static @Nullable Entry parse(String line) {
            String[] parts = line.split(" ", 4);
            if (parts.length < 3) {
                return null;
            }
            try {
                return new Entry(parts[0], Instant.parse(parts[0]), !"P".equals(parts[2]), parts.length > 3 ? parts[3] : "");
            } catch (DateTimeParseException e) {
                return null;
            }
        }

        Entry append(Entry next) {
            return new Entry(timestamp, time, next.complete(), text + next.text());
        }
    }

    /** Paths of a log and its rotated files, for removal. */
    static List<Path> files(Path log) {
        List<Path> files = new ArrayList<>();
        files.add(log);
        for (int i = 1; i <= MAX_ROTATED; i++) {
            files.add(log.resolveSibling(log.getFileName() + "." + i));
        }
        return files;
    }
}
