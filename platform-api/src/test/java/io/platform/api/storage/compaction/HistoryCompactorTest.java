package io.platform.api.storage.compaction;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.platform.api.storage.CompactedException;
import io.platform.api.storage.KeyValue;
import io.platform.api.storage.Store;
import io.platform.api.storage.sql.SqlStore;
import io.platform.api.storage.sql.SqlStoreProperties;
import io.platform.api.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The compactor's rounds on a SQLite store (the conformance suite runs the window on every backend). */
class HistoryCompactorTest {

    private static final Instant T0 = Instant.parse("2025-03-01T00:00:00Z");
    private static final Duration RETENTION = Duration.ofHours(24);

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(T0);
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : toClose.reversed()) {
            closeable.close();
        }
    }

    private Store open() {
        Store store = SqlStore.open(SqlStoreProperties.sqlite(dir.resolve("state.db")).withPollInterval(Duration.ofMillis(50)));
        toClose.add(store);
        return store;
    }

    private HistoryCompactor compactor(Store store) {
        HistoryCompactor compactor = new HistoryCompactor(store, clock, RETENTION);
        toClose.add(compactor);
        return compactor;
    }

    private static KeyValue write(Store store, String key, int times) {
        KeyValue kv = store.get(key).map(existing -> store.update(key, existing.modRevision(), bytes("0")))
                .orElseGet(() -> store.create(key, bytes("0")));
        for (int i = 1; i < times; i++) {
            kv = store.update(key, kv.modRevision(), bytes(String.valueOf(i)));
        }
        return kv;
    }

    @Test
    void historyFromBeforeTheFirstSampleCountsAsWrittenThen() {
        Store store = open();
        KeyValue old = write(store, "/registry/configmaps/ns/a", 5);
        HistoryCompactor compactor = compactor(store);

        // the store may be days old, but nothing says so: its history is kept one whole window from now
        assertThat(compactor.round()).isEmpty();
        clock.advance(RETENTION.minusMinutes(1));
        assertThat(compactor.round()).isEmpty();
        assertThat(store.list("/registry/", old.modRevision() - 4, 0, null).items()).hasSize(1);

        clock.advance(Duration.ofMinutes(1));
        assertThat(compactor.round()).hasValue(old.modRevision());
        assertThat(store.compactedRevision()).isEqualTo(old.modRevision());
        assertThatThrownBy(() -> store.list("/registry/", old.modRevision() - 1, 0, null))
                .isInstanceOf(CompactedException.class);
    }

    @Test
    void keepsEveryChangeOfTheWindowAndDropsWhatIsOlder() {
        Store store = open();
        HistoryCompactor compactor = compactor(store);
        KeyValue morning = write(store, "/registry/configmaps/ns/a", 3);
        compactor.round();
        clock.advance(Duration.ofHours(6));
        KeyValue noon = write(store, "/registry/configmaps/ns/a", 3);
        compactor.round();
        clock.advance(Duration.ofHours(6));
        KeyValue evening = write(store, "/registry/configmaps/ns/a", 3);
        compactor.round();

        // 24 h after the morning sample: everything up to it may go, the noon changes stay
        clock.advance(Duration.ofHours(12));
        assertThat(compactor.round()).hasValue(morning.modRevision());
        assertThat(store.list("/registry/", morning.modRevision(), 0, null).items().getFirst().value())
                .isEqualTo(bytes("2"));
        assertThat(store.list("/registry/", noon.modRevision() - 1, 0, null).items()).hasSize(1);

        clock.advance(Duration.ofHours(6));
        long noonSample = noon.modRevision();
        assertThat(compactor.round()).hasValue(noonSample);
        assertThatThrownBy(() -> store.list("/registry/", noon.modRevision() - 1, 0, null))
                .isInstanceOf(CompactedException.class);
        assertThat(store.list("/registry/", evening.modRevision() - 2, 0, null).items()).hasSize(1);
        assertThat(compactor.samples()).allSatisfy(s -> assertThat(s.revision()).isGreaterThan(noonSample));
    }

    @Test
    void anIdleStoreIsNeverWrittenAndAStartWritesNothing() {
        Store store = open();
        write(store, "/registry/configmaps/ns/a", 2);
        long before = store.currentRevision();
        HistoryCompactor compactor = compactor(store);
        for (int i = 0; i < 5; i++) {
            compactor.round();
            clock.advance(Duration.ofMinutes(5));
        }
        assertThat(store.currentRevision()).isEqualTo(before);
        assertThat(store.get(RevisionTimeline.KEY)).isEmpty();

        // a write since the last round: the next round saves a sample (one write), then it is quiet again
        KeyValue written = write(store, "/registry/configmaps/ns/b", 1);
        compactor.round();
        compactor.round();
        assertThat(store.currentRevision()).isEqualTo(written.modRevision() + 1);
        assertThat(store.get(RevisionTimeline.KEY)).get()
                .satisfies(kv -> assertThat(new String(kv.value(), UTF_8)).contains(written.modRevision() + " "));
    }

    @Test
    void samplesSurviveARestartSoCompactionGoesOn() {
        Store store = open();
        HistoryCompactor first = compactor(store);
        KeyValue old = write(store, "/registry/configmaps/ns/a", 3);
        first.round();
        clock.advance(Duration.ofMinutes(5));
        KeyValue later = write(store, "/registry/configmaps/ns/a", 1);
        first.round();
        first.close();
        store.close();

        // a server started (again) a day later compacts what the samples saved before say is old
        clock.advance(RETENTION);
        Store reopened = open();
        HistoryCompactor second = compactor(reopened);
        assertThat(second.round()).hasValue(later.modRevision());
        assertThat(later.modRevision()).isGreaterThan(old.modRevision());
    }

    @Test
    void twoServersOnOneStoreShareTheirSamplesWithoutWritingInTurn() {
        Store one = open();
        Store two = open();
        HistoryCompactor a = compactor(one);
        HistoryCompactor b = compactor(two);
        a.round();
        b.round();
        clock.advance(Duration.ofMinutes(5));
        KeyValue written = write(one, "/registry/configmaps/ns/a", 1);
        a.round();
        long afterSave = one.currentRevision();
        for (int i = 0; i < 3; i++) {
            clock.advance(Duration.ofMinutes(5));
            b.round();
            a.round();
        }
        assertThat(one.currentRevision()).isEqualTo(afterSave);
        assertThat(b.samples()).anySatisfy(s -> assertThat(s.revision()).isEqualTo(written.modRevision()));

        clock.advance(RETENTION);
        assertThat(b.round()).hasValue(written.modRevision());
        assertThat(a.round()).isEmpty();
        assertThat(one.compactedRevision()).isEqualTo(written.modRevision());
    }

    @Test
    void runsOnItsIntervalWithTheClock() {
        Store store = open();
        KeyValue old = write(store, "/registry/configmaps/ns/a", 3);
        HistoryCompactor compactor = compactor(store);
        compactor.start(Duration.ofMillis(50));
        await().until(() -> !compactor.samples().isEmpty());
        clock.advance(RETENTION.plusMinutes(5));
        await().atMost(Duration.ofSeconds(10)).until(() -> store.compactedRevision() == old.modRevision());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(UTF_8);
    }
}
