package io.platform.api.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.platform.api.storage.WatchEvent.Type;
import io.platform.api.storage.compaction.HistoryCompactor;
import io.platform.api.storage.compaction.RevisionTimeline;
import io.platform.api.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
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
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.Disposable;
import reactor.core.publisher.BaseSubscriber;

/**
 * What every {@link Store} backend must do alike, run once per backend by a subclass. Revisions are
 * checked relative to where the store started (etcd starts at revision 1, the SQL log at 0): each
 * write must take the next one. Subclasses give every test an empty store (no keys; history of
 * earlier tests below the start revision is allowed) and open every instance with a watch buffer of
 * {@link #watchBufferSize()} events, so the slow-watcher tests overrun it.
 */
public abstract class StoreConformanceTest {

    /** The watch buffer of every store the tests open: small, so watchers fall behind and catch up. */
    protected int watchBufferSize() {
        return 8;
    }

    private static final int WRITERS = 8;
    private static final int WRITES_PER_WRITER = 200;
    private static final int KEYS = 12;

    private final List<AutoCloseable> toClose = new ArrayList<>();

    /** A new store instance on this test's backend: every call of one test reaches the same data. */
    protected abstract Store openStore();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : toClose.reversed()) {
            closeable.close();
        }
    }

    protected final Store open() {
        Store store = openStore();
        toClose.add(store);
        return store;
    }

    @Test
    void everyWriteGetsTheNextRevision() {
        Store store = open();
        long base = store.currentRevision();

        KeyValue a = store.create("/registry/pods/default/a", bytes("a1"));
        KeyValue b = store.create("/registry/pods/default/b", bytes("b1"));
        KeyValue a2 = store.update("/registry/pods/default/a", a.modRevision(), bytes("a2"));
        KeyValue bGone = store.delete("/registry/pods/default/b", b.modRevision());

        assertThat(List.of(a.modRevision(), b.modRevision(), a2.modRevision(), bGone.modRevision()))
                .containsExactly(base + 1, base + 2, base + 3, base + 4);
        assertThat(a.createRevision()).isEqualTo(a.modRevision());
        assertThat(store.currentRevision()).isEqualTo(base + 4);
        assertThat(a2.createRevision()).isEqualTo(a.modRevision());
        assertThat(store.get("/registry/pods/default/a")).get()
                .satisfies(kv -> {
                    assertThat(kv.key()).isEqualTo("/registry/pods/default/a");
                    assertThat(kv.value()).isEqualTo(bytes("a2"));
                    assertThat(kv.modRevision()).isEqualTo(base + 3);
                    assertThat(kv.createRevision()).isEqualTo(base + 1);
                });
        // the deletion returns the value it removed, at the deletion's revision
        assertThat(bGone.value()).isEqualTo(bytes("b1"));
        assertThat(bGone.createRevision()).isEqualTo(base + 2);
        assertThat(store.get("/registry/pods/default/b")).isEmpty();
        assertThat(store.get("/registry/pods/default/never")).isEmpty();
    }

    @Test
    void createFailsWhenTheKeyExistsAndWorksAgainAfterDelete() {
        Store store = open();
        KeyValue first = store.create("/k", bytes("1"));

        assertThatThrownBy(() -> store.create("/k", bytes("2"))).isInstanceOf(KeyExistsException.class);
        assertThat(store.currentRevision()).isEqualTo(first.modRevision());

        KeyValue deleted = store.delete("/k", 0);
        KeyValue again = store.create("/k", bytes("3"));
        assertThat(again.createRevision()).isEqualTo(again.modRevision()).isEqualTo(deleted.modRevision() + 1);
        assertThat(store.get("/k")).get().extracting(KeyValue::value).isEqualTo(bytes("3"));
    }

    @Test
    void updateAndDeleteCompareTheRevision() {
        Store store = open();
        KeyValue v1 = store.create("/k", bytes("1"));
        KeyValue v2 = store.update("/k", v1.modRevision(), bytes("2"));

        assertThatThrownBy(() -> store.update("/k", v1.modRevision(), bytes("stale")))
                .isInstanceOfSatisfying(RevisionConflictException.class,
                        e -> assertThat(e.currentRevision()).isEqualTo(v2.modRevision()));
        assertThatThrownBy(() -> store.delete("/k", v1.modRevision()))
                .isInstanceOfSatisfying(RevisionConflictException.class,
                        e -> assertThat(e.currentRevision()).isEqualTo(v2.modRevision()));
        assertThat(store.currentRevision()).isEqualTo(v2.modRevision());
        assertThat(store.get("/k")).get().extracting(KeyValue::value).isEqualTo(bytes("2"));

        assertThatThrownBy(() -> store.update("/missing", 1, bytes("x"))).isInstanceOf(KeyNotFoundException.class);
        assertThatThrownBy(() -> store.update("/missing", 0, bytes("x"))).isInstanceOf(KeyNotFoundException.class);
        assertThatThrownBy(() -> store.delete("/missing", 0)).isInstanceOf(KeyNotFoundException.class);
        assertThatThrownBy(() -> store.delete("/missing", 1)).isInstanceOf(KeyNotFoundException.class);

        // revision 0 updates whatever is current
        KeyValue v3 = store.update("/k", 0, bytes("3"));
        assertThat(v3.modRevision()).isEqualTo(v2.modRevision() + 1);
        assertThat(v3.createRevision()).isEqualTo(v1.modRevision());

        assertThatThrownBy(() -> store.delete("/k", v2.modRevision())).isInstanceOf(RevisionConflictException.class);
        KeyValue deleted = store.delete("/k", v3.modRevision());
        assertThat(deleted.value()).isEqualTo(bytes("3"));
        assertThat(deleted.modRevision()).isEqualTo(v3.modRevision() + 1);
        assertThatThrownBy(() -> store.update("/k", v3.modRevision(), bytes("4")))
                .isInstanceOf(KeyNotFoundException.class);
        assertThatThrownBy(() -> store.delete("/k", 0)).isInstanceOf(KeyNotFoundException.class);
        assertThat(store.currentRevision()).isEqualTo(deleted.modRevision());
    }

    @Test
    void listAtAnOlderRevisionSeesTheStateOfThen() {
        Store store = open();
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
        assertThat(old.items().getFirst().modRevision()).isEqualTo(a.modRevision());

        ListResult latest = store.list("/registry/pods/", 0, 0, null);
        assertThat(latest.revision()).isEqualTo(store.currentRevision());
        assertThat(latest.items()).extracting(KeyValue::key)
                .containsExactly("/registry/pods/ns/a", "/registry/pods/ns/c", "/registry/pods/ns/d");
        assertThat(latest.items().getFirst().value()).isEqualTo(bytes("a2"));
        assertThat(latest.items().getFirst().modRevision()).isEqualTo(then + 1);
        assertThat(latest.items().getFirst().createRevision()).isEqualTo(a.modRevision());

        assertThat(store.list("", 0, 0, null).items()).hasSize(5);
        assertThat(store.list("/registry/pods/", 0, 0, "/registry/pods/ns/a").items()).extracting(KeyValue::key)
                .containsExactly("/registry/pods/ns/c", "/registry/pods/ns/d");
    }

    @Test
    void listPagesWithLimitAndContinueAtOneRevision() {
        Store store = open();
        for (int i = 0; i < 10; i++) {
            store.create("/registry/configmaps/ns/cm-" + i, bytes("v" + i));
        }
        store.create("/registry/secrets/ns/s", bytes("s"));
        assertThat(store.count("/registry/configmaps/")).isEqualTo(10);
        assertThat(store.count("/registry/")).isEqualTo(11);
        assertThat(store.count("/registry/nothing/")).isZero();

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
        assertThat(store.list("/registry/nothing/", 0, 10, null).items()).isEmpty();
    }

    @Test
    void watchReplaysFromARevisionThenFollows() {
        Store store = open();
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
        assertThat(update.kv().createRevision()).isEqualTo(a.modRevision());
        assertThat(update.previous()).isNotNull();
        assertThat(update.previous().value()).isEqualTo(bytes("a1"));
        assertThat(update.previous().modRevision()).isEqualTo(a.modRevision());
        WatchEvent creation = watch.events.get(1);
        assertThat(creation.previous()).isNull();
        assertThat(creation.kv().value()).isEqualTo(bytes("b1"));
        assertThat(creation.kv().createRevision()).isEqualTo(b.modRevision());
        WatchEvent deletion = watch.events.get(2);
        assertThat(deletion.kv().key()).isEqualTo("/registry/pods/ns/a");
        assertThat(deletion.kv().value()).isEqualTo(bytes("a2"));
        assertThat(deletion.kv().modRevision()).isEqualTo(aGone.modRevision());
        assertThat(deletion.kv().createRevision()).isEqualTo(a.modRevision());
        assertThat(deletion.previous().modRevision()).isEqualTo(a2.modRevision());
        assertThat(deletion.previous().value()).isEqualTo(bytes("a2"));
        assertThat(watch.error.get()).isNull();
    }

    @Test
    void watchSeesWritesOfAnotherStoreOnTheSameBackend() {
        Store watching = open();
        Store other = open();
        Collected watch = collect(watching, "/registry/", watching.currentRevision());

        KeyValue created = other.create("/registry/leases/l", bytes("1"));
        other.update("/registry/leases/l", created.modRevision(), bytes("2"));

        await().untilAsserted(() -> assertThat(watch.events).extracting(WatchEvent::type)
                .containsExactly(Type.CREATED, Type.UPDATED));
        assertThat(watching.get("/registry/leases/l")).get().extracting(KeyValue::value).isEqualTo(bytes("2"));
        assertThatThrownBy(() -> watching.create("/registry/leases/l", bytes("3")))
                .isInstanceOf(KeyExistsException.class);
        assertThat(watching.currentRevision()).isEqualTo(other.currentRevision());
    }

    @Test
    void compactionDropsHistoryButKeepsLatestValues() {
        Store store = open();
        KeyValue kept = store.create("/c/kept", bytes("0"));
        for (int i = 1; i <= 10; i++) {
            kept = store.update("/c/kept", kept.modRevision(), bytes(String.valueOf(i)));
        }
        store.create("/c/gone", bytes("x"));
        store.delete("/c/gone", 0);
        store.create("/c/untouched", bytes("u"));
        long compactAt = store.currentRevision();
        KeyValue after = store.update("/c/kept", kept.modRevision(), bytes("after"));

        store.compact(compactAt);

        assertThat(store.compactedRevision()).isEqualTo(compactAt);
        assertThatThrownBy(() -> store.list("/c/", compactAt - 1, 0, null))
                .isInstanceOfSatisfying(CompactedException.class,
                        e -> assertThat(e.compactedRevision()).isEqualTo(compactAt));
        assertThat(store.list("/c/", compactAt, 0, null).items()).extracting(KeyValue::key, kv -> text(kv.value()))
                .containsExactly(tuple("/c/kept", "10"), tuple("/c/untouched", "u"));
        assertThat(store.list("/c/", 0, 0, null).items()).extracting(KeyValue::key, kv -> text(kv.value()))
                .containsExactly(tuple("/c/kept", "after"), tuple("/c/untouched", "u"));
        assertThat(store.get("/c/kept")).get().extracting(KeyValue::modRevision).isEqualTo(after.modRevision());
        assertThat(store.get("/c/gone")).isEmpty();
        assertThat(store.count("/c/")).isEqualTo(2);

        Collected tooOld = collect(store, "/c/", compactAt - 1);
        await().untilAsserted(() -> assertThat(tooOld.error.get()).isInstanceOfSatisfying(CompactedException.class,
                e -> assertThat(e.compactedRevision()).isEqualTo(compactAt)));
        assertThat(tooOld.events).isEmpty();
        Collected fromCompaction = collect(store, "/c/", compactAt);
        await().untilAsserted(() -> assertThat(fromCompaction.events).extracting(WatchEvent::revision)
                .containsExactly(after.modRevision()));
        assertThat(fromCompaction.events.getFirst().previous().value()).isEqualTo(bytes("10"));

        // a compacted name can be created again; compacting at or below the compacted revision does nothing
        store.create("/c/gone", bytes("again"));
        store.compact(compactAt - 1);
        assertThat(store.compactedRevision()).isEqualTo(compactAt);
        assertThatThrownBy(() -> store.compact(store.currentRevision() + 1))
                .isInstanceOf(IllegalArgumentException.class);

        // compacting away the newest write (a deletion) does not lower the current revision
        store.delete("/c/gone", 0);
        long current = store.currentRevision();
        store.compact(current);
        assertThat(store.currentRevision()).isEqualTo(current);
        assertThat(store.create("/c/next", bytes("n")).modRevision()).isEqualTo(current + 1);
    }

    /**
     * The API server's scheduled compaction on this backend: changes of the retention window stay
     * readable, older history goes once a sample says it is old enough, and the samples live in the store.
     */
    @Test
    void scheduledCompactionKeepsEveryChangeOfTheRetentionWindow() {
        Store store = open();
        MutableClock clock = new MutableClock(Instant.parse("2025-03-01T00:00:00Z"));
        HistoryCompactor compactor = new HistoryCompactor(store, clock, Duration.ofHours(1));
        toClose.add(compactor);
        long compactedBefore = store.compactedRevision();
        KeyValue first = store.create("/h/a", bytes("1"));
        KeyValue old = store.update("/h/a", first.modRevision(), bytes("2"));
        assertThat(compactor.round()).isEmpty();
        clock.advance(Duration.ofMinutes(30));
        KeyValue recent = store.update("/h/a", old.modRevision(), bytes("3"));
        assertThat(compactor.round()).isEmpty();
        assertThat(store.compactedRevision()).isEqualTo(compactedBefore);
        assertThat(store.get(RevisionTimeline.KEY)).isPresent();

        // an hour after the first sample: history up to it goes, the last half hour's stays
        clock.advance(Duration.ofMinutes(31));
        assertThat(compactor.round()).hasValue(old.modRevision());
        assertThat(store.compactedRevision()).isEqualTo(old.modRevision());
        assertThatThrownBy(() -> store.list("/h/", first.modRevision(), 0, null))
                .isInstanceOf(CompactedException.class);
        assertThat(store.list("/h/", old.modRevision(), 0, null).items()).extracting(kv -> text(kv.value()))
                .containsExactly("2");
        Collected window = collect(store, "/h/", old.modRevision());
        await().untilAsserted(() -> assertThat(window.events).extracting(WatchEvent::revision)
                .containsExactly(recent.modRevision()));
        assertThat(window.events.getFirst().previous().value()).isEqualTo(bytes("2"));

        clock.advance(Duration.ofMinutes(30));
        assertThat(compactor.round()).hasValue(recent.modRevision());
        assertThat(store.get("/h/a")).get().extracting(kv -> text(kv.value())).isEqualTo("3");
    }

    @Test
    void aWatcherBehindACompactionEndsWithCompactedException() {
        Store store = open();
        long base = store.currentRevision();
        OneAtATime slow = new OneAtATime();
        store.watch("/w/", base).subscribe(slow);
        toClose.add(slow::dispose);

        KeyValue kv = store.create("/w/k", bytes("0"));
        for (int i = 1; i <= 3 * watchBufferSize(); i++) {
            kv = store.update("/w/k", kv.modRevision(), bytes(String.valueOf(i)));
        }
        await().untilAsserted(() -> assertThat(slow.events).hasSize(1));
        long compactAt = store.currentRevision();
        store.compact(compactAt);
        slow.request(1000);

        await().untilAsserted(() -> assertThat(slow.error.get()).isInstanceOfSatisfying(CompactedException.class,
                e -> assertThat(e.compactedRevision()).isEqualTo(compactAt)));
        // what it received before was in order and without gaps: the first event and, depending on how far
        // the store had read when the compaction came, up to one buffer of the following ones
        List<Long> received = slow.events.stream().map(WatchEvent::revision).toList();
        assertThat(received).hasSizeBetween(1, 1 + watchBufferSize())
                .isEqualTo(revisions(base + 1, base + received.size()));
    }

    @Test
    void aSlowWatcherNeitherBlocksWritersNorMissesEvents() {
        Store store = open();
        long base = store.currentRevision();
        OneAtATime slow = new OneAtATime();
        store.watch("/s/", base).subscribe(slow);
        toClose.add(slow::dispose);

        for (int i = 0; i < 300; i++) {
            store.create("/s/k" + i, bytes(String.valueOf(i)));
        }
        assertThat(store.currentRevision()).isEqualTo(base + 300);
        assertThat(slow.events).hasSizeLessThanOrEqualTo(1);

        slow.request(299);
        await().untilAsserted(() -> assertThat(slow.events).hasSize(300));
        assertThat(slow.events).extracting(WatchEvent::revision).containsExactlyElementsOf(revisions(base + 1, base + 300));
        assertThat(slow.events).extracting(e -> e.kv().key()).startsWith("/s/k0", "/s/k1").endsWith("/s/k299");
        assertThat(slow.error.get()).isNull();
    }

    @Test
    void dataAndRevisionsSurviveReopening() {
        Store store = open();
        long base = store.currentRevision();
        KeyValue a = store.create("/r/a", bytes("a"));
        store.create("/r/b", bytes("b"));
        store.delete("/r/b", 0);
        store.compact(base + 2);
        long revision = store.currentRevision();
        store.close();
        assertThatThrownBy(store::currentRevision).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> store.get("/r/a")).isInstanceOf(IllegalStateException.class);

        Store reopened = open();
        assertThat(reopened.currentRevision()).isEqualTo(revision);
        assertThat(reopened.compactedRevision()).isEqualTo(base + 2);
        assertThat(reopened.get("/r/a")).get().extracting(KeyValue::modRevision).isEqualTo(a.modRevision());
        assertThat(reopened.get("/r/b")).isEmpty();
        assertThatThrownBy(() -> reopened.list("/r/", base + 1, 0, null)).isInstanceOf(CompactedException.class);
        assertThat(reopened.create("/r/c", bytes("c")).modRevision()).isEqualTo(revision + 1);
    }

    /** One successful write: what a watcher must report, and what the key must hold if it was the last. */
    record Write(long revision, Type type, String key, String value) {}

    /**
     * Many writers racing on the same keys while watchers started at different revisions each receive
     * every change exactly once, in revision order; no update is lost and no revision is shared.
     */
    @Test
    void concurrentWritersAndWatchersAgreeOnEveryRevision() throws Exception {
        Store store = open();
        long base = store.currentRevision();
        List<WatchEvent> fromStart = new CopyOnWriteArrayList<>();
        List<WatchEvent> fromMiddle = new CopyOnWriteArrayList<>();
        AtomicReference<Throwable> errors = new AtomicReference<>();
        Disposable first = store.watch("/registry/", base).subscribe(fromStart::add, errors::set);
        toClose.add(first::dispose);

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
        assertThat(halfway.await(60, TimeUnit.SECONDS)).isTrue();
        // the second watcher starts back in history and catches up while the writers go on
        long middle = base + (store.currentRevision() - base) / 2;
        Disposable second = store.watch("/registry/things/", middle).subscribe(fromMiddle::add, errors::set);
        toClose.add(second::dispose);
        for (Future<?> writer : writers) {
            writer.get(120, TimeUnit.SECONDS);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        pool.shutdown();

        List<Write> expected = writes.stream().sorted(Comparator.comparingLong(Write::revision)).toList();
        System.out.printf("%s: %d writes (%d conflicts) by %d threads in %.2f s: %.0f attempts/s, %.0f commits/s%n",
                getClass().getSimpleName(), expected.size(), conflicts.get(), WRITERS, seconds,
                WRITERS * WRITES_PER_WRITER / seconds, expected.size() / seconds);

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10)).untilAsserted(() -> {
            assertThat(fromStart).hasSize(expected.size());
            assertThat(fromMiddle).hasSize((int) expected.stream().filter(e -> e.revision() > middle).count());
        });
        assertThat(errors.get()).isNull();

        // every success has a revision of its own, and together they are every revision written
        assertThat(expected).extracting(Write::revision).doesNotHaveDuplicates();
        assertThat(expected).extracting(Write::revision)
                .containsExactlyElementsOf(revisions(base + 1, base + expected.size()));
        assertThat(store.currentRevision()).isEqualTo(expected.getLast().revision());

        assertThat(fromStart).extracting(e -> new Write(e.revision(), e.type(), e.kv().key(), valueOf(e)))
                .containsExactlyElementsOf(expected);
        assertThat(fromMiddle).extracting(e -> new Write(e.revision(), e.type(), e.kv().key(), valueOf(e)))
                .containsExactlyElementsOf(expected.stream().filter(e -> e.revision() > middle).toList());
        assertChained(fromStart);

        // no lost update: each key holds what its last successful write left
        Map<String, Write> last = new HashMap<>();
        expected.forEach(write -> last.put(write.key(), write));
        last.values().forEach(write -> {
            Optional<KeyValue> now = store.get(write.key());
            if (write.type() == Type.DELETED) {
                assertThat(now).as(write.key()).isEmpty();
            } else {
                assertThat(now).as(write.key()).get().extracting(KeyValue::modRevision, kv -> text(kv.value()))
                        .containsExactly(write.revision(), write.value());
            }
        });
    }

    /** One attempt: create when absent, else update or delete the revision just read. */
    private static void write(Store store, String key, String value, Random random,
            ConcurrentLinkedQueue<Write> writes, AtomicInteger conflicts) {
        Optional<KeyValue> current = store.get(key);
        try {
            if (current.isEmpty()) {
                writes.add(new Write(store.create(key, bytes(value)).modRevision(), Type.CREATED, key, value));
            } else if (random.nextInt(4) == 0) {
                long expected = random.nextBoolean() ? current.get().modRevision() : 0;
                KeyValue deleted = store.delete(key, expected);
                writes.add(new Write(deleted.modRevision(), Type.DELETED, key, text(deleted.value())));
            } else {
                writes.add(new Write(store.update(key, current.get().modRevision(), bytes(value)).modRevision(),
                        Type.UPDATED, key, value));
            }
        } catch (KeyExistsException | KeyNotFoundException | RevisionConflictException e) {
            conflicts.incrementAndGet();
        }
    }

    private static String valueOf(WatchEvent event) {
        return text(event.kv().value());
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

    protected final Collected collect(Store store, String prefix, long afterRevision) {
        Collected collected = new Collected();
        Disposable subscription = store.watch(prefix, afterRevision)
                .subscribe(collected.events::add, collected.error::set);
        toClose.add(subscription::dispose);
        return collected;
    }

    protected static byte[] bytes(String text) {
        return text.getBytes(UTF_8);
    }

    protected static String text(byte[] bytes) {
        return new String(bytes, UTF_8);
    }

    protected static List<Long> revisions(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }

    /** The events and the error of one watch. */
    protected static final class Collected {
        public final List<WatchEvent> events = new CopyOnWriteArrayList<>();
        public final AtomicReference<Throwable> error = new AtomicReference<>();
    }

    /** A subscriber that asks for one event, then only what the test requests. */
    protected static final class OneAtATime extends BaseSubscriber<WatchEvent> {
        public final List<WatchEvent> events = new CopyOnWriteArrayList<>();
        public final AtomicReference<Throwable> error = new AtomicReference<>();

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
}
