package io.platform.api.admission;

import io.platform.api.auth.AuthenticatedUser;
import io.platform.api.cache.WatchCache;
import io.platform.api.json.Json;
import io.platform.api.registry.BuiltinResources;
import io.platform.api.registry.ResourceType;
import io.platform.api.resource.ManagedFieldsTracker;
import io.platform.api.resource.ResourceStorage;
import io.platform.api.resource.WriteContext;
import io.platform.api.storage.sql.SqlStore;
import io.platform.api.storage.sql.SqlStoreProperties;
import io.platform.api.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import tools.jackson.databind.node.ObjectNode;

/**
 * A real SQLite store with {@link ResourceStorage} running the plugins under test, for plugin tests: the watch cache
 * is never filled unless a test fills it, so plugins read the store.
 */
public final class AdmissionHarness implements AutoCloseable {

    public static final AuthenticatedUser USER = new AuthenticatedUser("alice", List.of("system:authenticated"));

    public final SqlStore store;
    public final WatchCache cache = new WatchCache(Duration.ZERO);
    public final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    public final ObjectLookup lookup;
    public final ResourceStorage storage;
    private final List<AdmissionPlugin> plugins = new ArrayList<>();

    public AdmissionHarness(Path dir, Function<AdmissionHarness, List<AdmissionPlugin>> pluginsUnderTest) {
        store = SqlStore.open(SqlStoreProperties.sqlite(dir.resolve("state.db")).withPollInterval(Duration.ofMillis(100)));
        lookup = new ObjectLookup(store, cache);
        storage = new ResourceStorage(store, clock, cache, new AdmissionChain(() -> plugins, Set.of()));
        plugins.addAll(pluginsUnderTest.apply(this));
    }

    public static ResourceType type(String group, String plural) {
        return BuiltinResources.TYPES.stream().filter(t -> t.group().equals(group) && t.plural().equals(plural))
                .findFirst().orElseThrow();
    }

    /** JSON written with single quotes, for readable objects in tests. */
    public static ObjectNode json(String singleQuoted) {
        return Json.parseObject(singleQuoted.replace('\'', '"').getBytes(StandardCharsets.UTF_8));
    }

    /** Creates a namespace as the API server would (not admitted by the plugins under test's user). */
    public void namespace(String name, String labelsJson) {
        storage.create(type("", "namespaces"), null, json("{'metadata':{'name':'" + name + "','labels':" + labelsJson + "}}"),
                false);
    }

    /** Creates a core object as {@link #USER}; returns it as stored. */
    public ObjectNode create(String plural, String namespace, String objectJson) {
        return create(plural, namespace, objectJson, WriteContext.of(USER), false);
    }

    public ObjectNode create(String plural, String namespace, String objectJson, WriteContext context, boolean dryRun) {
        return storage.create(type("", plural), namespace, json(objectJson), dryRun, ManagedFieldsTracker.UNTRACKED,
                context);
    }

    @Override
    public void close() {
        store.close();
    }
}
