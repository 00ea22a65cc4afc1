package io.platform.api.storage.sql;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.platform.api.storage.CompactedException;
import io.platform.api.storage.KeyExistsException;
import io.platform.api.storage.KeyNotFoundException;
import io.platform.api.storage.KeyValue;
import io.platform.api.storage.ListResult;
import io.platform.api.storage.RevisionConflictException;
import io.platform.api.storage.WatchEvent;
import io.platform.api.storage.WatchEvent.Type;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reactivestreams.Subscription;
import reactor.core.Disposable;
import reactor.core.publisher.BaseSubscriber;

class SqlStoreTest {

    @TempDir
    Path dir;

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : toClose.reversed()) {
            closeable.close();
        }
    }

    @Test
    void everyWriteGetsTheNextRevision() {
        SqlStore store = open(settings());
        assertThat(store.currentRevision()).isZero();

        KeyValue a = store.create("/registry/pods/default/a", bytes("a1"));
        KeyValue b = store.create("/registry/pods/default/b", bytes("b1"));
        KeyValue a2 = store.update("/registry/pods/default/a", a.modRevision(), bytes("a2"));
        KeyValue bGone = store.delete("/registry/pods/default/b", b.modRevision());

        assertThat(List.of(a.modRevision(), b.modRevision(), a2.modRevision(), bGone.modRevision()))
                .containsExactly(1L, 2L, 3L, 4L);
        assertThat(store.currentRevision()).isEqualTo(4);
        assertThat(a2.createRevision()).isEqualTo(a.modRevision());
        assertThat(store.get("/registry/pods/default/a")).get()
                .satisfies(kv -> {
                    assertThat(kv.value()).isEqualTo(bytes("a2"));
                    assertThat(kv.modRevision()).isEqualTo(3);
                    assertThat(kv.createRevision()).isEqualTo(1);
                });
        // the deletion returns the value it removed, at the deletion's revision
        assertThat(bGone.value()).isEqualTo(bytes("b1"));
        assertThat(bGone.createRevision()).isEqualTo(2);
        assertThat(store.get("/registry/pods/default/b")).isEmpty();
        assertThat(store.get("/registry/pods/default/never")).isEmpty();
    }

    @Test
    void createFailsWhenTheKeyExistsAndWorksAgainAfterDelete() {
        SqlStore store = open(settings());
        KeyValue first = store.create("/k", bytes("1"));

        assertThatThrownBy(() -> store.create("/k", bytes("2"))).isInstanceOf(KeyExistsException.class);
        assertThat(store.currentRevision()).isEqualTo(first.modRevision());

        store.delete("/k", 0);
        KeyValue again = store.create("/k", bytes("3"));
        assertThat(again.createRevision()).isEqualTo(again.modRevision()).isEqualTo(3);
        assertThat(store.get("/k")).get().extracting(KeyValue::value).isEqualTo(bytes("3"));
    }

    @Test
    void updateAndDeleteCompareTheRevision() {
        SqlStore store = open(settings());
        KeyValue v1 = store.create("/k", bytes("1"));
        KeyValue v2 = store.update("/k", v1.modRevision(), bytes("2"));

        assertThatThrownBy(() -> store.update("/k", v1.modRevision(), bytes("stale")))
                .isInstanceOfSatisfying(RevisionConflictException.class,
                        e -> assertThat(e.currentRevision()).isEqualTo(v2.modRevision()));
        assertThatThrownBy(() -> store.delete("/k", v1.modRevision()))
                .isInstanceOfSatisfying(RevisionConflictException.class,
                        e -> assertThat(e.currentRevision()).isEqualTo(v2.modRevision()));
        assertThat(store.currentRevision()).isEqualTo(v2.modRevision());

        assertThatThrownBy(() -> store.update("/missing", 1, bytes("x"))).isInstanceOf(KeyNotFoundException.class);
        assertThatThrownBy(() -> store.delete("/missing", 0)).isInstanceOf(KeyNotFoundException.class);

        // revision 0 updates whatever is current
        KeyValue v3 = store.update("/k", 0, bytes("3"));
        assertThat(v3.modRevision()).isEqualTo(v2.modRevision() + 1);
        assertThat(v3.createRevision()).isEqualTo(v1.modRevision());

        assertThatThrownBy(() -> store.delete("/k", v2.modRevision())).isInstanceOf(RevisionConflictException.class);
        KeyValue deleted = store.delete("/k", v3.modRevision());
        assertThat(deleted.value()).isEqualTo(bytes("3"));
        assertThatThrownBy(() -> store.update("/k", v3.modRevision(), bytes("4")))
                .isInstanceOf(KeyNotFoundException.class);
        assertThatThrownBy(() -> store.delete("/k", 0)).isInstanceOf(KeyNotFoundException.class);
    }

    @Test
    void listAtAnOlderRevisionSeesTheStateOfThen() {
        SqlStore store = open(settings());
        KeyValue a = store.create("/registry/pods/ns/a", bytes("a1"));
        KeyValue b = store.create("/registry/pods/ns/b", bytes("b1"));
        store.create("/registry/pods/ns/c", bytes("c1"));
        store.create("/registry/podsx/ns/z", bytes("other resource"));
        store.create("/registry/pod", bytes("shorter key"));
        long then = store.currentRevision();

        store.update("/registry/pods/ns/a", a.modRevision(), bytes("a2"));
        store.delete("/registry/pods/ns/b", b.modRevision());
        store.create("/registry/pods/ns/d", bytes("d1"));

        ListResult old = store.list("/registry/pods/", then, 0, null);
        assertThat(old.revision()).isEqualTo(then);
        assertThat(old.continueAfterKey()).isNull();
        assertThat(old.items()).extracting(KeyValue::key)
                .containsExactly("/registry/pods/ns/a", "/registry/pods/ns/b", "/registry/pods/ns/c");
        assertThat(old.items().getFirst().value()).isEqualTo(bytes("a1"));

        ListResult latest = store.list("/registry/pods/", 0, 0, null);
        assertThat(latest.revision()).isEqualTo(store.currentRevision());
        assertThat(latest.items()).extracting(KeyValue::key)
                .containsExactly("/registry/pods/ns/a", "/registry/pods/ns/c", "/registry/pods/ns/d");
        assertThat(latest.items().getFirst().value()).isEqualTo(bytes("a2"));
        assertThat(latest.items().getFirst().modRevision()).isEqualTo(then + 1);

        assertThat(store.list("", 0, 0, null).items()).hasSize(5);
    }

    @Test
    void listPagesWithLimitAndContinueAtOneRevision() {
        SqlStore store = open(settings());
        for (int i = 0; i < 10; i++) {
            store.create("/registry/configmaps/ns/cm-" + i, bytes("v" + i));
        }
        store.create("/registry/secrets/ns/s", bytes("s"));
        assertThat(store.count("/registry/configmaps/")).isEqualTo(10);
        assertThat(store.count("/registry/")).isEqualTo(11);

        ListResult first = store.list("/registry/configmaps/", 0, 4, null);
        assertThat(first.items()).extracting(KeyValue::key)
                .containsExactly("/registry/configmaps/ns/cm-0", "/registry/configmaps/ns/cm-1",
                        "/registry/configmaps/ns/cm-2", "/registry/configmaps/ns/cm-3");
        assertThat(first.continueAfterKey()).isEqualTo("/registry/configmaps/ns/cm-3");

        // changes after the first page do not show in later pages read at its revision
        store.delete("/registry/configmaps/ns/cm-5", 0);
        store.create("/registry/configmaps/ns/cm-45", bytes("new"));
        assertThat(store.count("/registry/configmaps/")).isEqualTo(10);

        ListResult second = store.list("/registry/configmaps/", first.revision(), 4, first.continueAfterKey());
        assertThat(second.items()).extracting(KeyValue::key)
                .containsExactly("/registry/configmaps/ns/cm-4", "/registry/configmaps/ns/cm-5",
                        "/registry/configmaps/ns/cm-6", "/registry/configmaps/ns/cm-7");
        ListResult third = store.list("/registry/configmaps/", first.revision(), 4, second.continueAfterKey());
        assertThat(third.items()).extracting(KeyValue::key)
                .containsExactly("/registry/configmaps/ns/cm-8", "/registry/configmaps/ns/cm-9");
        assertThat(third.continueAfterKey()).isNull();
        assertThat(third.revision()).isEqualTo(first.revision());

        // an exact fit ends without a continue key
        assertThat(store.list("/registry/configmaps/", 0, 10, null).continueAfterKey()).isNull();
    }

    @Test
    void watchReplaysFromARevisionThenFollows() {
        SqlStore store = open(settings());
        KeyValue a = store.create("/registry/pods/ns/a", bytes("a1"));
        long start = store.currentRevision();
        KeyValue a2 = store.update("/registry/pods/ns/a", a.modRevision(), bytes("a2"));
        store.create("/registry/nodes/n1", bytes("not watched"));

        Collected watch = collect(store, "/registry/pods/", start);
        await().untilAsserted(() -> assertThat(watch.events).hasSize(1));

        KeyValue b = store.create("/registry/pods/ns/b", bytes("b1"));
        KeyValue aGone = store.delete("/registry/pods/ns/a", 0);
        await().untilAsserted(() -> assertThat(watch.events).hasSize(3));

        assertThat(watch.events).extracting(WatchEvent::type).containsExactly(Type.UPDATED, Type.CREATED, Type.DELETED);
        assertThat(watch.events).extracting(WatchEvent::revision)
                .containsExactly(a2.modRevision(), b.modRevision(), aGone.modRevision());
        WatchEvent update = watch.events.get(0);
        assertThat(update.kv().value()).isEqualTo(bytes("a2"));
        assertThat(update.previous()).isNotNull();
        assertThat(update.previous().value()).isEqualTo(bytes("a1"));
        assertThat(update.previous().modRevision()).isEqualTo(a.modRevision());
        assertThat(watch.events.get(1).previous()).isNull();
        WatchEvent deletion = watch.events.get(2);
        assertThat(deletion.kv().value()).isEqualTo(bytes("a2"));
        assertThat(deletion.kv().modRevision()).isEqualTo(aGone.modRevision());
        assertThat(deletion.kv().createRevision()).isEqualTo(a.modRevision());
        assertThat(deletion.previous().modRevision()).isEqualTo(a2.modRevision());
        assertThat(watch.error.get()).isNull();
    }

    @Test
    void watchSeesWritesOfAnotherStoreOnTheSameFile() {
        SqlStore watching = open(settings());
        SqlStore other = open(settings());
        Collected watch = collect(watching, "/registry/", 0);

        KeyValue created = other.create("/registry/leases/l", bytes("1"));
        other.update("/registry/leases/l", created.modRevision(), bytes("2"));

        await().untilAsserted(() -> assertThat(watch.events).extracting(WatchEvent::type)
                .containsExactly(Type.CREATED, Type.UPDATED));
        assertThat(watching.get("/registry/leases/l")).get().extracting(KeyValue::value).isEqualTo(bytes("2"));
        assertThatThrownBy(() -> watching.create("/registry/leases/l", bytes("3")))
                .isInstanceOf(KeyExistsException.class);
    }

    @Test
    void compactionDropsHistoryButKeepsLatestValues() throws SQLException {
        SqlStore store = open(settings().withCompactionBatchSize(3));
        KeyValue kept = store.create("/c/kept", bytes("0"));
        for (int i = 1; i <= 10; i++) {
            kept = store.update("/c/kept", kept.modRevision(), bytes(String.valueOf(i)));
        }
        store.create("/c/gone", bytes("x"));
        store.delete("/c/gone", 0);
        store.create("/c/untouched", bytes("u"));
        long compactAt = store.currentRevision();
        KeyValue after = store.update("/c/kept", kept.modRevision(), bytes("after"));
        assertThat(rowCount()).isEqualTo(15);

        store.compact(compactAt);

        assertThat(store.compactedRevision()).isEqualTo(compactAt);
        // per key the newest row at or below the compaction survives, and everything above it
        assertThat(rowCount()).isEqualTo(3);
        assertThatThrownBy(() -> store.list("/c/", compactAt - 1, 0, null))
                .isInstanceOfSatisfying(CompactedException.class,
                        e -> assertThat(e.compactedRevision()).isEqualTo(compactAt));
        assertThat(store.list("/c/", compactAt, 0, null).items()).extracting(KeyValue::key, kv -> text(kv.value()))
                .containsExactly(tuple("/c/kept", "10"),
                        tuple("/c/untouched", "u"));
        assertThat(store.get("/c/kept")).get().extracting(KeyValue::modRevision).isEqualTo(after.modRevision());
        assertThat(store.get("/c/gone")).isEmpty();

        Collected tooOld = collect(store, "/c/", compactAt - 1);
        await().untilAsserted(() -> assertThat(tooOld.error.get()).isInstanceOf(CompactedException.class));
        Collected fromCompaction = collect(store, "/c/", compactAt);
        await().untilAsserted(() -> assertThat(fromCompaction.events).extracting(WatchEvent::revision)
                .containsExactly(after.modRevision()));
        assertThat(fromCompaction.events.getFirst().previous().value()).isEqualTo(bytes("10"));

        // a compacted name can be created again; compacting at or below the compacted revision does nothing
        store.create("/c/gone", bytes("again"));
        store.compact(compactAt - 1);
        assertThatThrownBy(() -> store.compact(store.currentRevision() + 1))
                .isInstanceOf(IllegalArgumentException.class);

        // compacting away the newest row (a tombstone) does not lower the current revision
        store.delete("/c/gone", 0);
        long current = store.currentRevision();
        store.compact(current);
        assertThat(store.currentRevision()).isEqualTo(current);
        assertThat(store.create("/c/next", bytes("n")).modRevision()).isEqualTo(current + 1);
    }

    @Test
    void aWatcherBehindACompactionEndsWithCompactedException() {
        SqlStore store = open(settings().withWatchBufferSize(4));
        OneAtATime slow = new OneAtATime();
        store.watch("/w/", 0).subscribe(slow);
        toClose.add(slow::dispose);

        KeyValue kv = store.create("/w/k", bytes("0"));
        for (int i = 1; i <= 20; i++) {
            kv = store.update("/w/k", kv.modRevision(), bytes(String.valueOf(i)));
        }
        await().untilAsserted(() -> assertThat(slow.events).hasSize(1));
        store.compact(store.currentRevision());
        slow.request(100);

        await().untilAsserted(() -> assertThat(slow.error.get()).isInstanceOf(CompactedException.class));
        // what it received before was in order and without gaps: the first event and, depending on how far
        // the tailer had got when the compaction came, up to one buffer (4) of the following ones
        List<Long> received = slow.events.stream().map(WatchEvent::revision).toList();
        assertThat(received).hasSizeBetween(1, 5).isEqualTo(revisions(1, received.size()));
    }

    @Test
    void aSlowWatcherNeitherBlocksWritersNorMissesEvents() {
        SqlStore store = open(settings().withWatchBufferSize(8));
        OneAtATime slow = new OneAtATime();
        store.watch("/s/", 0).subscribe(slow);
        toClose.add(slow::dispose);

        for (int i = 0; i < 300; i++) {
            store.create("/s/k" + i, bytes(String.valueOf(i)));
        }
        assertThat(store.currentRevision()).isEqualTo(300);
        assertThat(slow.events).hasSizeLessThanOrEqualTo(1);

        slow.request(299);
        await().untilAsserted(() -> assertThat(slow.events).hasSize(300));
        assertThat(slow.events).extracting(WatchEvent::revision).containsExactlyElementsOf(revisions(1, 300));
    }

    @Test
    void watchWaitsForAMissingRevisionAndSkipsItOnlyAfterTheGapTimeout() throws SQLException {
        SqlStore store = open(settings().withWatchGapTimeout(Duration.ofSeconds(1)));
        store.create("/g/a", bytes("a"));
        Collected watch = collect(store, "/g/", 1);

        // another writer's revision 3 commits before its revision 2 (as PostgreSQL sequences allow)
        insertRow(3, "/g/c");
        insertRow(2, "/g/b");
        await().untilAsserted(() -> assertThat(watch.events).extracting(WatchEvent::revision).containsExactly(2L, 3L));

        // revision 4 never commits: watch moves on after the gap timeout
        long before = System.nanoTime();
        insertRow(5, "/g/e");
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(watch.events).extracting(WatchEvent::revision).contains(5L));
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isGreaterThanOrEqualTo(Duration.ofMillis(900));

        KeyValue next = store.create("/g/f", bytes("f"));
        await().untilAsserted(() -> assertThat(watch.events).extracting(WatchEvent::revision)
                .containsExactly(2L, 3L, 5L, next.modRevision()));
    }

    @Test
    void dataAndRevisionsSurviveARestart() throws SQLException {
        SqlStoreProperties settings = settings();
        SqlStore store = SqlStore.open(settings);
        KeyValue a = store.create("/r/a", bytes("a"));
        store.create("/r/b", bytes("b"));
        store.delete("/r/b", 0);
        store.compact(2);
        long revision = store.currentRevision();
        store.close();
        assertThatThrownBy(store::currentRevision).isInstanceOf(IllegalStateException.class);

        assertThat(journalMode()).isEqualTo("wal");

        SqlStore reopened = open(settings);
        assertThat(reopened.currentRevision()).isEqualTo(revision);
        assertThat(reopened.compactedRevision()).isEqualTo(2);
        assertThat(reopened.get("/r/a")).get().extracting(KeyValue::modRevision).isEqualTo(a.modRevision());
        assertThat(reopened.get("/r/b")).isEmpty();
        assertThat(reopened.create("/r/c", bytes("c")).modRevision()).isEqualTo(revision + 1);
    }

    private SqlStoreProperties settings() {
        return SqlStoreProperties.sqlite(dir.resolve("nested/state.db")).withPollInterval(Duration.ofMillis(50));
    }

    private SqlStore open(SqlStoreProperties settings) {
        SqlStore store = SqlStore.open(settings);
        toClose.add(store);
        return store;
    }

    private Collected collect(SqlStore store, String prefix, long afterRevision) {
        Collected collected = new Collected();
        Disposable subscription = store.watch(prefix, afterRevision)
                .subscribe(collected.events::add, collected.error::set);
        toClose.add(subscription::dispose);
        return collected;
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("nested/state.db"));
    }

    private long rowCount() throws SQLException {
        try (Connection connection = connect();
                ResultSet rs = connection.createStatement().executeQuery("SELECT COUNT(*) FROM store_log")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private String journalMode() throws SQLException {
        try (Connection connection = connect();
                ResultSet rs = connection.createStatement().executeQuery("PRAGMA journal_mode")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** Appends a create row with a chosen id, as another writer would. */
    private void insertRow(long id, String name) throws SQLException {
        try (Connection connection = connect();
                PreparedStatement insert = connection.prepareStatement("INSERT INTO store_log"
                        + " (id, name, created, deleted, create_revision, prev_revision, value)"
                        + " VALUES (?, ?, 1, 0, 0, 0, ?)")) {
            connection.createStatement().execute("PRAGMA busy_timeout = 5000");
            insert.setLong(1, id);
            insert.setString(2, name);
            insert.setBytes(3, bytes(name));
            insert.executeUpdate();
        }
    }

    static byte[] bytes(String text) {
        return text.getBytes(UTF_8);
    }

    static String text(byte[] bytes) {
        return new String(bytes, UTF_8);
    }

    static final class Collected {
        final List<WatchEvent> events = new CopyOnWriteArrayList<>();
        final AtomicReference<Throwable> error = new AtomicReference<>();
    }

    /** A subscriber that asks for one event, then only what the test requests. */
    static final class OneAtATime extends BaseSubscriber<WatchEvent> {
        final List<WatchEvent> events = new CopyOnWriteArrayList<>();
        final AtomicReference<Throwable> error = new AtomicReference<>();

        @Override
        protected void hookOnSubscribe(Subscription subscription) {
            subscription.request(1);
        }

        @Override
        protected void hookOnNext(WatchEvent event) {
            events.add(event);
        }

        @Override
        protected void hookOnError(Throwable throwable) {
            error.set(throwable);
        }
    }

    static List<Long> revisions(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }
}
