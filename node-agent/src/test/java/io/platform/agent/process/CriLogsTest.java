package io.platform.agent.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.platform.agent.runtime.LogOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading CRI log files back as the kubelet does: rotated files first, partial lines joined, since, tail, timestamps. */
class CriLogsTest {

    @TempDir
    Path dir;

    @Test
    void rotatedFilesComeFirstAndPartialEntriesJoinIntoOneLine() throws IOException {
        Path log = dir.resolve("0.log");
        Files.writeString(log.resolveSibling("0.log.2"), "2026-01-01T00:00:01.000000000Z stdout F one\n");
        Files.writeString(log.resolveSibling("0.log.1"), "2026-01-01T00:00:02.000000000Z stderr P tw\n"
                + "2026-01-01T00:00:02.100000000Z stderr F o\n");
        Files.writeString(log, "2026-01-01T00:00:03.000000000Z stdout F three\n");

        assertThat(read(log, new LogOptions(false, false, null, null))).isEqualTo("one\ntwo\nthree\n");
        assertThat(read(log, new LogOptions(false, false, 2, null))).isEqualTo("two\nthree\n");
        assertThat(read(log, new LogOptions(false, false, 0, null))).isEmpty();
        assertThat(read(log, new LogOptions(false, false, null, Instant.parse("2026-01-01T00:00:02Z")))).isEqualTo("two\nthree\n");
        assertThat(read(log, new LogOptions(false, true, 1, null))).isEqualTo("2026-01-01T00:00:03.000000000Z three\n");
    }

    @Test
    void followingReadsNewLinesAcrossARotationUntilTheContainerStops() throws IOException {
        Path log = dir.resolve("0.log");
        Files.writeString(log, "2026-01-01T00:00:01Z stdout F before\n");
        AtomicBoolean running = new AtomicBoolean(true);
        List<String> lines = new CopyOnWriteArrayList<>();
        AtomicBoolean completed = new AtomicBoolean();
        CriLogs.read(log, new LogOptions(true, false, null, null), Duration.ofMillis(20), running::get)
                .map(bytes -> new String(bytes, StandardCharsets.UTF_8))
                .subscribe(lines::add, error -> { }, () -> completed.set(true));
        await().atMost(Duration.ofSeconds(10)).until(() -> lines, l -> l.equals(List.of("before\n")));
        append(log, "2026-01-01T00:00:02Z stdout F after\n");
        await().atMost(Duration.ofSeconds(10)).until(() -> lines.size() == 2);
        append(log, "2026-01-01T00:00:03Z stdout F last in the old file\n");
        Files.move(log, log.resolveSibling("0.log.1"));
        append(log, "2026-01-01T00:00:04Z stdout F in the new file\n");
        await().atMost(Duration.ofSeconds(10)).until(() -> lines.size() == 4);
        assertThat(completed).isFalse();
        running.set(false);
        await().atMost(Duration.ofSeconds(10)).untilTrue(completed);
        assertThat(lines).containsExactly("before\n", "after\n", "last in the old file\n", "in the new file\n");
    }

    private static String read(Path log, LogOptions options) {
        return CriLogs.read(log, options, Duration.ofMillis(20), () -> false)
                .map(bytes -> new String(bytes, StandardCharsets.UTF_8))
                .collect(Collectors.joining())
                .block(Duration.ofSeconds(10));
    }

    private static void append(Path log, String line) {
        try {
            Files.writeString(log, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
