package io.platform.api.storage.sql;

import static io.platform.api.storage.sql.SqlStoreTest.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.platform.api.storage.KeyExistsException;
import io.platform.api.storage.KeyNotFoundException;
import io.platform.api.storage.KeyValue;
import io.platform.api.storage.RevisionConflictException;
import io.platform.api.storage.WatchEvent;
import io.platform.api.storage.WatchEvent.Type;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;

/**
 * The demand: many writers racing on the same keys while watchers started at different
 * revisions each receive every change exactly once, in revision order, matching the log.
 */
class SqlStoreConcurrencyTest {

    private static final int WRITERS = 8;
    private static final int WRITES_PER_WRITER = 200;
    private static final int KEYS = 12;

    @TempDir
    Path dir;

    /** One successful write: what a watcher must report. */
    record Write(long revision, Type type, String key) {}

    @Test
    void concurrentWritersAndWatchersAgreeOnEveryRevision() throws Exception {
        Path file = dir.resolve("state.db");
        // a small watch buffer, so watchers also drop back to reading the log and go live again under load
        SqlStoreProperties settings =
                SqlStoreProperties.sqlite(file).withPollInterval(Duration.ofMillis(100)).withWatchBufferSize(16);
        try (SqlStore store = SqlStore.open(settings)) {
            List<WatchEvent> fromStart = new CopyOnWriteArrayList<>();
            List<WatchEvent> fromMiddle = new CopyOnWriteArrayList<>();
            AtomicReference<Throwable> errors = new AtomicReference<>();
            Disposable first = store.watch("/registry/", 0).subscribe(fromStart::add, errors::set);

            ConcurrentLinkedQueue<Write> writes = new ConcurrentLinkedQueue<>();
            AtomicInteger conflicts = new AtomicInteger();
            CountDownLatch halfway = new CountDownLatch(WRITERS * WRITES_PER_WRITER / 2);
            ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
            long started = System.nanoTime();
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                writers.add(pool.submit(() -> {
                    Random random = new Random(writer);
                    for (int i = 0; i < WRITES_PER_WRITER; i++) {
                        write(store, "/registry/things/k" + random.nextInt(KEYS), writer + ":" + i, random, writes,
                                conflicts);
                        halfway.countDown();
                    }
                    return null;
                }));
            }
            assertThat(halfway.await(30, TimeUnit.SECONDS)).isTrue();
            // the second watcher starts back in history and catches up while the writers go on
            long middle = store.currentRevision() / 2;
            Disposable second = store.watch("/registry/things/", middle).subscribe(fromMiddle::add, errors::set);
            for (Future<?> writer : writers) {
                writer.get(60, TimeUnit.SECONDS);
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            pool.shutdown();

            List<Write> expected = writes.stream().sorted((a, b) -> Long.compare(a.revision(), b.revision())).toList();
            System.out.printf("%d writes (%d conflicts) by %d threads in %.2f s: %.0f attempts/s, %.0f commits/s%n",
                    expected.size(), conflicts.get(), WRITERS, seconds, WRITERS * WRITES_PER_WRITER / seconds,
                    expected.size() / seconds);

            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10)).untilAsserted(() -> {
                assertThat(fromStart).hasSize(expected.size());
                assertThat(fromMiddle).hasSize((int) expected.stream().filter(e -> e.revision() > middle).count());
            });
            System.out.printf("watchers caught up %d ms after the last write%n",
                    (System.nanoTime() - started) / 1_000_000 - (long) (seconds * 1000));
            first.dispose();
            second.dispose();
            assertThat(errors.get()).isNull();

            // every success is a revision of its own, and together they are the whole log
            assertThat(expected).extracting(Write::revision).doesNotHaveDuplicates();
            assertThat(expected).extracting(Write::revision).containsExactlyElementsOf(logRevisions(file));
            assertThat(store.currentRevision()).isEqualTo(expected.getLast().revision());

            assertThat(fromStart).extracting(e -> new Write(e.revision(), e.type(), e.kv().key()))
                    .containsExactlyElementsOf(expected);
            assertThat(fromMiddle).extracting(e -> new Write(e.revision(), e.type(), e.kv().key()))
                    .containsExactlyElementsOf(expected.stream().filter(e -> e.revision() > middle).toList());
            assertChained(fromStart);
        }
    }

    /** One attempt: create when absent, else update or delete the revision just read. */
    private static void write(SqlStore store, String key, String value, Random random,
            ConcurrentLinkedQueue<Write> writes, AtomicInteger conflicts) {
        Optional<KeyValue> current = store.get(key);
        try {
            if (current.isEmpty()) {
                writes.add(new Write(store.create(key, bytes(value)).modRevision(), Type.CREATED, key));
            } else if (random.nextInt(4) == 0) {
                long expected = random.nextBoolean() ? current.get().modRevision() : 0;
                writes.add(new Write(store.delete(key, expected).modRevision(), Type.DELETED, key));
            } else {
                writes.add(new Write(store.update(key, current.get().modRevision(), bytes(value)).modRevision(),
                        Type.UPDATED, key));
            }
        } catch (KeyExistsException | KeyNotFoundException | RevisionConflictException e) {
            conflicts.incrementAndGet();
        }
    }

    /** Each event's previous value is exactly what the key held after its preceding event. */
    private static void assertChained(List<WatchEvent> events) {
        Map<String, KeyValue> state = new HashMap<>();
        for (WatchEvent event : events) {
            KeyValue before = state.get(event.kv().key());
            if (event.type() == Type.CREATED) {
                assertThat(before).isNull();
                assertThat(event.previous()).isNull();
                state.put(event.kv().key(), event.kv());
            } else {
                assertThat(before).isNotNull();
                assertThat(event.previous()).isNotNull();
                assertThat(event.previous().modRevision()).isEqualTo(before.modRevision());
                assertThat(event.previous().value()).isEqualTo(before.value());
                assertThat(event.kv().createRevision()).isEqualTo(before.createRevision());
                if (event.type() == Type.DELETED) {
                    assertThat(event.kv().value()).isEqualTo(before.value());
                    state.remove(event.kv().key());
                } else {
                    state.put(event.kv().key(), event.kv());
                }
            }
        }
    }

    private static List<Long> logRevisions(Path file) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
                ResultSet rs = connection.createStatement().executeQuery("SELECT id FROM store_log ORDER BY id")) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        return ids;
    }
}
