package io.platform.api.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.platform.api.cache.WatchCache;
import io.platform.api.json.Json;
import io.platform.api.registry.BuiltinResources;
import io.platform.api.registry.ResourceType;
import io.platform.api.resource.ObjectKeys;
import io.platform.api.resource.ResourceStorage;
import io.platform.api.resource.UpdateMode;
import io.platform.api.storage.Store;
import io.platform.api.storage.WatchEvent;
import io.platform.api.storage.sql.SqlStore;
import io.platform.api.storage.sql.SqlStoreProperties;
import io.platform.api.testing.MutableClock;
import io.platform.api.watch.WatchHub;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;
import tools.jackson.databind.node.ObjectNode;

class EventExpiryTest {

    private static final ResourceType NAMESPACES = BuiltinResources.find("", "v1", "namespaces").orElseThrow();
    private static final ResourceType EVENTS = BuiltinResources.find("", "v1", "events").orElseThrow();
    private static final ResourceType EVENTS_V1 = BuiltinResources.find("events.k8s.io", "v1", "events").orElseThrow();
    private static final Duration TTL = Duration.ofHours(1);
    private static final Duration SWEEP = Duration.ofMillis(50);
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(T0);
    private Store store;
    private WatchCache cache;
    private WatchHub hub;
    private ResourceStorage storage;
    private EventExpiry expiry;

    @BeforeEach
    void start() {
        store = SqlStore.open(SqlStoreProperties.sqlite(dir.resolve("state.db")).withPollInterval(Duration.ofMillis(100)));
        cache = new WatchCache(Duration.ofSeconds(3));
        hub = new WatchHub(store, 1000, cache);
        hub.start();
        storage = new ResourceStorage(store, clock, cache);
        storage.create(NAMESPACES, null, object("{\"metadata\":{\"name\":\"ns\"}}"), false);
    }

    @AfterEach
    void stop() {
        if (expiry != null) {
            expiry.close();
        }
        hub.close();
        store.close();
    }

    private static ObjectNode object(String json) {
        return Json.parseObject(json.getBytes(StandardCharsets.UTF_8));
    }

    private ObjectNode coreEvent(String name) {
        return storage.create(EVENTS, "ns", object("{\"apiVersion\":\"v1\",\"kind\":\"Event\",\"metadata\":{\"name\":\""
                + name + "\"},\"involvedObject\":{\"kind\":\"Pod\",\"namespace\":\"ns\",\"name\":\"p\"},"
                + "\"reason\":\"Started\",\"message\":\"started\",\"type\":\"Normal\",\"count\":1}"), false);
    }

    private ObjectNode eventsV1Event(String name) {
        return storage.create(EVENTS_V1, "ns", object("{\"apiVersion\":\"events.k8s.io/v1\",\"kind\":\"Event\","
                + "\"metadata\":{\"name\":\"" + name + "\"},\"eventTime\":\"2025-01-01T00:00:00.000000Z\","
                + "\"reportingController\":\"test\",\"reportingInstance\":\"test-1\",\"action\":\"Start\","
                + "\"reason\":\"Started\",\"type\":\"Normal\",\"regarding\":{\"kind\":\"Pod\",\"namespace\":\"ns\",\"name\":\"p\"}}"),
                false);
    }

    private static String key(String name) {
        return ObjectKeys.key(EVENTS, "ns", name);
    }

    private boolean exists(String name) {
        return store.get(key(name)).isPresent();
    }

    private void awaitSweeps(int more) {
        long target = expiry.sweeps() + more;
        await().atMost(Duration.ofSeconds(10)).until(() -> expiry.sweeps() >= target);
    }

    @Test
    void eventsExpireATtlAfterTheirLastWriteAndWatchersSeeTheDeletion() {
        List<WatchEvent> seen = new CopyOnWriteArrayList<>();
        Disposable watch = hub.watch("/registry/events/", store.currentRevision()).subscribe(seen::add);
        try {
            expiry = new EventExpiry(store, cache, clock, TTL);
            expiry.start(SWEEP);
            coreEvent("quiet");
            eventsV1Event("busy");
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> expiry.lastWrite(key("quiet")) != null && expiry.lastWrite(key("busy")) != null);
            assertThat(expiry.lastWrite(key("quiet"))).isEqualTo(T0);

            clock.advance(Duration.ofMinutes(40));
            storage.update(EVENTS, "ns", "busy", UpdateMode.MAIN, false, o -> o.put("count", 2));
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> T0.plus(Duration.ofMinutes(40)).equals(expiry.lastWrite(key("busy"))));

            clock.advance(Duration.ofMinutes(21));
            await().atMost(Duration.ofSeconds(10)).until(() -> !exists("quiet"));
            awaitSweeps(3);
            assertThat(exists("busy")).as("written 21 minutes ago").isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> seen.stream()
                    .anyMatch(e -> e.type() == WatchEvent.Type.DELETED && e.kv().key().equals(key("quiet"))));

            clock.advance(Duration.ofMinutes(40));
            await().atMost(Duration.ofSeconds(10)).until(() -> !exists("busy"));
            assertThat(storage.list(EVENTS_V1, "ns", io.platform.api.resource.ListOptions.all()).items()).isEmpty();
        } finally {
            watch.dispose();
        }
    }

    @Test
    void eventsStoredBeforeStartCountFromTheWriteTimeRecordedInThem() {
        coreEvent("created-at-t0");
        clock.advance(Duration.ofMinutes(50));
        coreEvent("created-later");
        clock.advance(Duration.ofMinutes(20));
        expiry = new EventExpiry(store, cache, clock, TTL);
        assertThat(expiry.sweep()).isEqualTo(1);
        assertThat(exists("created-at-t0")).isFalse();
        assertThat(exists("created-later")).isTrue();
        assertThat(expiry.lastWrite(key("created-later"))).isEqualTo(T0.plus(Duration.ofMinutes(50)));
    }

    @Test
    void otherKeysAreNeverTouched() {
        storage.create(BuiltinResources.find("", "v1", "configmaps").orElseThrow(), "ns",
                object("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"old\"}}"), false);
        clock.advance(Duration.ofDays(2));
        expiry = new EventExpiry(store, cache, clock, TTL);
        assertThat(expiry.sweep()).isZero();
        assertThat(store.get("/registry/configmaps/ns/old")).isPresent();
        assertThat(store.get("/registry/namespaces/ns")).isPresent();
    }
}
