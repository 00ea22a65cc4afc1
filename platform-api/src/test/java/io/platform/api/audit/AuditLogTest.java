package io.platform.api.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditLogTest {

    @TempDir
    Path dir;

    private List<Path> files() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }

    private static byte[] event(int n) {
        // 99 bytes and a newline: ten lines per 1000-byte file
        return ("{\"n\":" + "%093d".formatted(n) + "}").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theFileIsRenamedAsideWhenFullAndOnlyMaxBackupsAreKept() throws IOException {
        Path file = dir.resolve("audit.log");
        try (AuditLog log = AuditLog.toFile(file, 1000, 2, Duration.ZERO, 100, Clock.systemUTC())) {
            for (int i = 0; i < 45; i++) {
                log.add(event(i));
            }
            await().until(() -> log.written() == 45);
        }

        List<Path> files = files();
        assertThat(files).hasSize(3).contains(file);
        assertThat(files).filteredOn(p -> !p.equals(file))
                .allSatisfy(p -> assertThat(p.getFileName().toString())
                        .matches("audit-\\d{4}-\\d{2}-\\d{2}T\\d{2}-\\d{2}-\\d{2}\\.\\d{3}\\.log"));
        for (Path backup : files) {
            assertThat(Files.size(backup)).isLessThanOrEqualTo(1000);
        }
        // the newest five lines are in the live file, the ten before in the newest backup; the oldest were dropped
        List<String> live = Files.readAllLines(file);
        assertThat(live).hasSize(5);
        assertThat(live.getFirst()).isEqualTo(new String(event(40), StandardCharsets.UTF_8));
        assertThat(Files.readAllLines(files.get(1))).hasSize(10).first()
                .isEqualTo(new String(event(30), StandardCharsets.UTF_8));
    }

    @Test
    void eventsAfterCloseAreDroppedAndCountedNeverBlocking() throws IOException {
        Path file = dir.resolve("audit.log");
        AuditLog log = AuditLog.toFile(file, 1000, 2, Duration.ZERO, 1, Clock.systemUTC());
        log.add(event(1));
        log.close();
        log.add(event(2));

        assertThat(log.dropped()).isEqualTo(1);
        assertThat(Files.readAllLines(file)).hasSize(1);
    }
}
