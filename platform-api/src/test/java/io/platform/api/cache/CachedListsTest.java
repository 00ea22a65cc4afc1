package io.platform.api.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.platform.api.errors.ApiException;
import io.platform.api.json.Json;
import io.platform.api.registry.BuiltinResources;
import io.platform.api.registry.ResourceType;
import io.platform.api.resource.DeleteOptions;
import io.platform.api.resource.ListOptions;
import io.platform.api.resource.ListPage;
import io.platform.api.resource.ObjectKeys;
import io.platform.api.resource.ResourceStorage;
import io.platform.api.resource.UpdateMode;
import io.platform.api.selection.FieldSelector;
import io.platform.api.selection.LabelSelector;
import io.platform.api.storage.KeyValue;
import io.platform.api.storage.sql.SqlStore;
import io.platform.api.storage.sql.SqlStoreProperties;
import io.platform.api.watch.WatchHub;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

/** Lists through {@link ResourceStorage} with the watch cache, against a real SQLite store. */
class CachedListsTest {

    private static final ResourceType NAMESPACES = BuiltinResources.find("", "v1", "namespaces").orElseThrow();
    private static final ResourceType CONFIGMAPS = BuiltinResources.find("", "v1", "configmaps").orElseThrow();
    private static final String NS = "cached";

    @TempDir
    Path dir;

    private CountingStore store;
    private WatchHub hub;
    private WatchCache cache;
    private ResourceStorage storage;

    @BeforeEach
    void start() {
        SqlStore sql = SqlStore.open(SqlStoreProperties.sqlite(dir.resolve("state.db"))
                .withPollInterval(Duration.ofMillis(100)));
        store = new CountingStore(sql);
        // a namespace and objects written before the cache starts are read by its one list
        ResourceStorage plain = new ResourceStorage(sql, Clock.systemUTC());
        plain.create(NAMESPACES, null, object("{\"metadata\":{\"name\":\"" + NS + "\"}}"), false);
        for (int i = 0; i < 5; i++) {
            createConfigMap(plain, "before-" + i, i % 2 == 0 ? "even" : "odd");
        }
        cache = new WatchCache(Duration.ofMillis(500));
        hub = new WatchHub(store, 1000, cache);
        hub.start();
        storage = new ResourceStorage(store, Clock.systemUTC(), cache);
    }

    @AfterEach
    void stop() {
        hub.close();
        store.close();
    }

    private static ObjectNode object(String json) {
        return Json.parseObject(json.getBytes(StandardCharsets.UTF_8));
    }

    private static ObjectNode createConfigMap(ResourceStorage storage, String name, String parity) {
        return storage.create(CONFIGMAPS, NS, object("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\""
                + name + "\",\"labels\":{\"parity\":\"" + parity + "\"}},\"data\":{\"v\":\"0\"}}"), false);
    }

    private static ListOptions options(int limit, @Nullable String continueToken, @Nullable String rv,
            @Nullable String match) {
        return new ListOptions(LabelSelector.everything(), FieldSelector.everything(), limit, continueToken, rv, match);
    }

    private ListPage list(ListOptions options) {
        return storage.list(CONFIGMAPS, NS, options);
    }

    private static List<String> names(ListPage page) {
        return page.items().stream().map(o -> o.path("metadata").path("name").asString()).toList();
    }

    private static long rv(ObjectNode object) {
        return Long.parseLong(object.path("metadata").path("resourceVersion").asString());
    }

    /** name@resourceVersion of every item, the identity of a list's content. */
    private static List<String> versions(List<ObjectNode> items) {
        return items.stream().map(o -> o.path("metadata").path("name").asString() + "@" + rv(o)).toList();
    }

    @Test
    void listsAreServedFromMemoryAfterTheOneInitialList() {
        assertThat(store.lists()).isEqualTo(1);
        for (int i = 0; i < 50; i++) {
            assertThat(names(list(ListOptions.all()))).hasSize(5);
            assertThat(names(list(options(0, null, "0", null)))).hasSize(5);
            assertThat(names(storage.list(CONFIGMAPS, NS, new ListOptions(LabelSelector.parse("parity=even"),
                    FieldSelector.everything(), 0, null, null, null)))).containsExactly("before-0", "before-2", "before-4");
            assertThat(names(storage.list(CONFIGMAPS, null, new ListOptions(LabelSelector.everything(),
                    FieldSelector.parse("metadata.name=before-3", CONFIGMAPS), 0, null, null, null))))
                    .containsExactly("before-3");
            assertThat(names(list(options(2, null, null, null)))).containsExactly("before-0", "before-1");
        }
        assertThat(storage.list(NAMESPACES, null, ListOptions.all()).items()).hasSize(1);
        assertThat(store.lists()).as("store lists").isEqualTo(1);
    }

    @Test
    void aConsistentReadSeesTheWriteAcknowledgedJustBefore() {
        for (int i = 0; i < 100; i++) {
            ObjectNode created = createConfigMap(storage, "cm-" + i, "even");
            ListPage page = list(ListOptions.all());
            assertThat(page.revision()).isGreaterThanOrEqualTo(rv(created));
            assertThat(versions(page.items())).contains("cm-" + i + "@" + rv(created));
            ObjectNode updated = storage.update(CONFIGMAPS, NS, "cm-" + i, UpdateMode.MAIN, false, o -> {
                ((ObjectNode) o.path("data")).put("v", "1");
                return o;
            });
            assertThat(versions(list(ListOptions.all()).items())).contains("cm-" + i + "@" + rv(updated));
        }
        assertThat(store.lists()).isEqualTo(1);
    }

    @Test
    void pagesAcrossConcurrentWritesAreOneSnapshotEqualToTheStores() throws Exception {
        for (int i = 0; i < 20; i++) {
            createConfigMap(storage, "cm-" + String.format("%02d", i), i % 2 == 0 ? "even" : "odd");
        }
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger writes = new AtomicInteger();
        Thread writer = Thread.ofPlatform().start(() -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            while (writing.get()) {
                String name = "cm-" + String.format("%02d", random.nextInt(30));
                try {
                    switch (random.nextInt(3)) {
                        case 0 -> createConfigMap(storage, name, "even");
                        case 1 -> storage.update(CONFIGMAPS, NS, name, UpdateMode.MAIN, false, o -> {
                            ((ObjectNode) o.path("data")).put("v", Integer.toString(random.nextInt()));
                            return o;
                        });
                        default -> storage.delete(CONFIGMAPS, NS, name, DeleteOptions.defaults(), false);
                    }
                    writes.incrementAndGet();
                } catch (ApiException e) {
                    // already there or already gone: the next write picks another name
                }
            }
        });
        try {
            for (int round = 0; round < 15; round++) {
                for (LabelSelector selector : List.of(LabelSelector.everything(), LabelSelector.parse("parity=even"))) {
                    List<ObjectNode> paged = new ArrayList<>();
                    int storeListsBefore = store.lists();
                    ListPage page = storage.list(CONFIGMAPS, NS,
                            new ListOptions(selector, FieldSelector.everything(), 3, null, null, null));
                    assertThat(store.lists()).as("the first page is read from memory").isEqualTo(storeListsBefore);
                    long revision = page.revision();
                    paged.addAll(page.items());
                    while (page.continueToken() != null) {
                        assertThat(page.items()).hasSize(3);
                        page = storage.list(CONFIGMAPS, NS,
                                new ListOptions(selector, FieldSelector.everything(), 3, page.continueToken(), null, null));
                        assertThat(page.revision()).isEqualTo(revision);
                        paged.addAll(page.items());
                    }
                    List<ObjectNode> atRevision = store.list(ObjectKeys.prefix(CONFIGMAPS, NS), revision, 0, null).items()
                            .stream().map(kv -> ObjectKeys.decode(CONFIGMAPS, kv)).filter(selector::matchesObject).toList();
                    assertThat(versions(paged)).isEqualTo(versions(atRevision));
                }
            }
        } finally {
            writing.set(false);
            writer.join();
        }
        assertThat(writes.get()).as("writes that ran beside the lists").isPositive();
    }

    @Test
    void firstPagesComeFromMemoryAndEqualTheStoresFirstPages() {
        for (int i = 0; i < 7; i++) {
            createConfigMap(storage, "cm-" + i, "odd");
        }
        int before = store.lists();
        ListPage cached = list(options(4, null, null, null));
        assertThat(store.lists()).isEqualTo(before);
        ResourceStorage uncached = new ResourceStorage(store, Clock.systemUTC());
        ListPage direct = uncached.list(CONFIGMAPS, NS, options(4, null, String.valueOf(cached.revision()), "Exact"));
        assertThat(versions(cached.items())).isEqualTo(versions(direct.items()));
        assertThat(cached.continueToken()).isEqualTo(direct.continueToken());
        // a page that ends on the last key has no continue token, as from the store
        ListPage all = list(options(12, null, null, null));
        assertThat(all.items()).hasSize(12);
        assertThat(all.continueToken()).isNull();
    }

    @Test
    void resourceVersionZeroServesWhatTheCacheHoldsWithoutALimit() {
        ListPage zero = list(options(2, null, "0", null));
        assertThat(names(zero)).hasSize(5);
        assertThat(zero.continueToken()).isNull();
        assertThat(zero.revision()).isEqualTo(cache.revision());
        assertThat(store.lists()).isEqualTo(1);
    }

    @Test
    void notOlderThanWaitsForTheRevisionOrAnswers504() {
        ObjectNode created = createConfigMap(storage, "fresh", "even");
        ListPage page = list(options(0, null, Long.toString(rv(created)), "NotOlderThan"));
        assertThat(page.revision()).isGreaterThanOrEqualTo(rv(created));
        assertThat(names(page)).contains("fresh");
        assertThat(names(list(options(0, null, Long.toString(rv(created)), null)))).contains("fresh");

        long future = store.currentRevision() + 100;
        assertThatThrownBy(() -> list(options(0, null, Long.toString(future), "NotOlderThan")))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(504);
                    assertThat(e.reason()).isEqualTo("Timeout");
                    assertThat(e.getMessage()).contains("Too large resource version: " + future);
                    assertThat(e.causes()).extracting(c -> c.reason()).containsExactly("ResourceVersionTooLarge");
                });
        assertThat(store.lists()).isEqualTo(1);
    }

    @Test
    void exactAndLegacyLimitedResourceVersionsReadTheStoreAtThatRevision() {
        ObjectNode first = createConfigMap(storage, "versioned", "even");
        storage.update(CONFIGMAPS, NS, "versioned", UpdateMode.MAIN, false, o -> {
            ((ObjectNode) o.path("data")).put("v", "2");
            return o;
        });
        String at = Long.toString(rv(first));
        ListPage exact = list(options(0, null, at, "Exact"));
        assertThat(exact.revision()).isEqualTo(rv(first));
        assertThat(versions(exact.items())).contains("versioned@" + rv(first));
        ListPage legacy = list(options(10, null, at, null));
        assertThat(legacy.revision()).isEqualTo(rv(first));
        assertThat(store.lists()).isEqualTo(3);
    }

    @Test
    void contradictoryListOptionsAreRefused() {
        assertThatThrownBy(() -> list(options(0, null, null, "Exact")))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(422));
        assertThatThrownBy(() -> list(options(0, null, "0", "Exact")))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(422));
        assertThatThrownBy(() -> list(options(0, null, "1", "Newest")))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(422));
        String token = list(options(2, null, null, null)).continueToken();
        assertThatThrownBy(() -> list(options(2, token, "5", null)))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(400));
    }

    @Test
    void theCacheListsTheStoreAgainAfterCompactionOvertookTheHub() {
        store.overtakeWatches();
        await().atMost(Duration.ofSeconds(10)).until(() -> store.lists() == 2);
        ObjectNode after = createConfigMap(storage, "after-relist", "even");
        ListPage page = list(ListOptions.all());
        assertThat(versions(page.items())).contains("after-relist@" + rv(after));
        assertThat(names(page)).hasSize(6);
        assertThat(store.lists()).isEqualTo(2);
        KeyValue stored = store.get(ObjectKeys.key(CONFIGMAPS, NS, "after-relist")).orElseThrow();
        assertThat(stored.modRevision()).isEqualTo(rv(after));
    }
}
