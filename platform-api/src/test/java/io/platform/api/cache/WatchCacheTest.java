package io.platform.api.cache;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.platform.api.storage.KeyValue;
import io.platform.api.storage.WatchEvent;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WatchCacheTest {

    private static KeyValue kv(String key, long revision) {
        return new KeyValue(key, key.getBytes(UTF_8), revision, revision);
    }

    private static List<String> keys(Optional<CachedList> list) {
        return list.orElseThrow().items().stream().map(KeyValue::key).toList();
    }

    @Test
    void answersNothingUntilFilledAndAfterInvalidation() {
        WatchCache cache = new WatchCache(Duration.ZERO);
        assertThat(cache.list("/registry/", 0)).isEmpty();
        cache.replace(List.of(kv("/registry/a/x", 1)), 3);
        assertThat(keys(cache.list("/registry/", 0))).containsExactly("/registry/a/x");
        cache.invalidate();
        assertThat(cache.list("/registry/", 0)).isEmpty();
        cache.apply(new WatchEvent(WatchEvent.Type.CREATED, kv("/registry/a/y", 4), null));
        assertThat(cache.list("/registry/", 0)).isEmpty();
    }

    @Test
    void getsOneKeyOnlyOnceFilled() {
        WatchCache cache = new WatchCache(Duration.ZERO);
        assertThat(cache.get("/registry/namespaces/a")).isEmpty();
        cache.replace(List.of(kv("/registry/namespaces/a", 1), kv("/registry/namespaces/ab", 2)), 2);
        assertThat(cache.get("/registry/namespaces/a")).map(KeyValue::modRevision).contains(1L);
        assertThat(cache.get("/registry/namespaces/b")).isEmpty();
        cache.invalidate();
        assertThat(cache.get("/registry/namespaces/a")).isEmpty();
    }

    @Test
    void comparesByCodePointWhereUtf16OrderDiffers() {
        assertThat(WatchCache.compareCodePoints("a\uFFFD", "a\uD83D\uDE00")).isNegative();
        assertThat(WatchCache.compareCodePoints("a\uD83D\uDE00", "a\uE000")).isPositive();
        assertThat(WatchCache.compareCodePoints("a\uD83D\uDE00", "a\uD83D\uDE01")).isNegative();
        assertThat(WatchCache.compareCodePoints("ab", "abc")).isNegative();
        assertThat(WatchCache.compareCodePoints("b", "abc")).isPositive();
        assertThat(WatchCache.compareCodePoints("same", "same")).isZero();
    }

    @Test
    void listsOnlyThePrefixInTheStoresKeyOrder() {
        WatchCache cache = new WatchCache(Duration.ZERO);
        // U+FFFD sorts before U+1F600 by code point (as SQLite) though not by UTF-16 unit
        cache.replace(List.of(kv("/registry/pods/b", 1), kv("/registry/pods/\uD83D\uDE00", 2),
                kv("/registry/pods/\uFFFD", 3), kv("/registry/podsx/a", 4), kv("/registry/pods/a", 5)), 5);
        assertThat(keys(cache.list("/registry/pods/", 0)))
                .containsExactly("/registry/pods/a", "/registry/pods/b", "/registry/pods/\uFFFD", "/registry/pods/\uD83D\uDE00");
    }

    @Test
    void appliesChangesInRevisionOrderAndIgnoresOldOnes() {
        WatchCache cache = new WatchCache(Duration.ZERO);
        cache.replace(List.of(kv("/k/a", 1), kv("/k/b", 2)), 2);
        cache.apply(new WatchEvent(WatchEvent.Type.UPDATED, kv("/k/a", 3), kv("/k/a", 1)));
        cache.apply(new WatchEvent(WatchEvent.Type.DELETED, kv("/k/b", 4), kv("/k/b", 2)));
        cache.apply(new WatchEvent(WatchEvent.Type.CREATED, kv("/k/old", 2), null));
        CachedList list = cache.list("/k/", 0).orElseThrow();
        assertThat(list.revision()).isEqualTo(4);
        assertThat(list.items()).extracting(KeyValue::key, KeyValue::modRevision).containsExactly(
                org.assertj.core.api.Assertions.tuple("/k/a", 3L));
    }

    @Test
    void waitsBoundedForARevision() throws Exception {
        WatchCache cache = new WatchCache(Duration.ofMillis(200));
        cache.replace(List.of(), 5);
        assertThat(cache.list("/k/", 0).orElseThrow().revision()).isEqualTo(5);
        assertThat(cache.list("/k/", 6)).as("revision 6 never comes").isEmpty();

        WatchCache patient = new WatchCache(Duration.ofSeconds(20));
        patient.replace(List.of(), 5);
        CompletableFuture<Optional<CachedList>> waiting = CompletableFuture.supplyAsync(() -> patient.list("/k/", 7));
        patient.apply(new WatchEvent(WatchEvent.Type.CREATED, kv("/k/a", 6), null));
        patient.apply(new WatchEvent(WatchEvent.Type.CREATED, kv("/k/b", 7), null));
        CachedList list = waiting.get(20, TimeUnit.SECONDS).orElseThrow();
        assertThat(list.revision()).isEqualTo(7);
        assertThat(list.items()).extracting(KeyValue::key).containsExactly("/k/a", "/k/b");
    }
}
