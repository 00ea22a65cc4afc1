package io.platform.api.storage.compaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.platform.api.ApiServerApplication;
import io.platform.api.json.Json;
import io.platform.api.storage.Store;
import io.platform.api.testing.MutableClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Scheduled compaction in a running API server (plain HTTP, its own data dir, a clock the test
 * moves): once the retention window has passed a revision, lists and watches from it answer 410
 * Expired, while everything written inside the window can still be watched.
 */
@SpringBootTest(classes = {ApiServerApplication.class, ScheduledCompactionApiTest.TestClock.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"server.address=127.0.0.1", "platform.api.tls.enabled=false",
                "platform.api.authorization.modes=AlwaysAllow",
                "platform.api.storage.poll-interval=100ms", "platform.api.storage.compaction-interval=100ms",
                "platform.api.storage.history-retention=1h"})
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class ScheduledCompactionApiTest {

    private static final Path DATA_DIR = createDataDir();
    private static final String CONFIGMAPS = "/api/v1/namespaces/history/configmaps";

    @TestConfiguration(proxyBeanMethods = false)
    static class TestClock {
        @Bean
        @Primary
        MutableClock testClock() {
            return new MutableClock(Instant.parse("2025-03-01T00:00:00Z"));
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("platform.api.data-dir", DATA_DIR::toString);
    }

    @LocalServerPort
    int port;

    @Autowired
    Store store;

    @Autowired
    HistoryCompactor compactor;

    @Autowired
    MutableClock clock;

    @Test
    void listsAndWatchesFromCompactedRevisionsExpireWhileTheWindowStaysReadable() {
        post("/api/v1/namespaces", Map.of("apiVersion", "v1", "kind", "Namespace", "metadata", Map.of("name", "history")));
        long created = revision(post(CONFIGMAPS, configMap("old", "1")));
        ObjectNode updated = configMap("old", "2");
        long replaced = revision(exchange(client().put().uri(CONFIGMAPS + "/old").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(updated), 200));
        awaitSampled(replaced);

        clock.advance(Duration.ofMinutes(30));
        long recent = revision(post(CONFIGMAPS, configMap("recent", "3")));
        awaitSampled(recent);

        // an hour after the first samples: what they cover goes, the last half hour stays
        clock.advance(Duration.ofMinutes(31));
        await().atMost(Duration.ofSeconds(20)).until(() -> store.compactedRevision() >= replaced);
        long compacted = store.compactedRevision();
        assertThat(compacted).isLessThan(recent);

        ObjectNode expired = exchange(client().get()
                .uri(CONFIGMAPS + "?resourceVersion=" + created + "&resourceVersionMatch=Exact"), 410);
        assertThat(expired.path("reason").asString()).isEqualTo("Expired");
        List<JsonNode> tooOld = watch(CONFIGMAPS + "?watch=true&timeoutSeconds=5&resourceVersion=" + created)
                .collectList().block(Duration.ofSeconds(10));
        assertThat(tooOld).hasSize(1);
        assertThat(tooOld.getFirst().path("type").asString()).isEqualTo("ERROR");
        assertThat(tooOld.getFirst().path("object").path("code").asInt()).isEqualTo(410);

        JsonNode inWindow = watch(CONFIGMAPS + "?watch=true&timeoutSeconds=5&resourceVersion=" + compacted)
                .blockFirst(Duration.ofSeconds(10));
        assertThat(inWindow.path("type").asString()).isEqualTo("ADDED");
        assertThat(inWindow.path("object").path("metadata").path("name").asString()).isEqualTo("recent");
        ObjectNode atCompaction = exchange(client().get()
                .uri(CONFIGMAPS + "?resourceVersion=" + compacted + "&resourceVersionMatch=Exact"), 200);
        assertThat(atCompaction.path("items")).extracting(item -> item.path("data").path("v").asString())
                .containsExactly("2");
    }

    /** Waits until a round has sampled the store at or after {@code revision}, at the clock's time now. */
    private void awaitSampled(long revision) {
        Instant now = clock.instant();
        await().atMost(Duration.ofSeconds(10)).until(() -> compactor.samples().stream()
                .anyMatch(sample -> sample.revision() >= revision && sample.time().equals(now)));
    }

    private WebTestClient client() {
        return WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(Duration.ofSeconds(20)).build();
    }

    private ObjectNode post(String path, Object body) {
        return exchange(client().post().uri(path).contentType(MediaType.APPLICATION_JSON).bodyValue(body), 201);
    }

    private static ObjectNode exchange(WebTestClient.RequestHeadersSpec<?> request, int expectedStatus) {
        byte[] body = request.exchange().expectStatus().isEqualTo(expectedStatus).expectBody().returnResult()
                .getResponseBody();
        return Json.parseObject(body);
    }

    private Flux<JsonNode> watch(String uri) {
        return client().get().uri(uri).exchange().expectStatus().isOk()
                .returnResult(String.class).getResponseBody()
                .filter(line -> !line.isBlank())
                .map(line -> (JsonNode) Json.parseObject(line.getBytes()));
    }

    private static long revision(ObjectNode object) {
        return Long.parseLong(object.path("metadata").path("resourceVersion").asString());
    }

    private static ObjectNode configMap(String name, String value) {
        ObjectNode configMap = Json.object();
        configMap.put("apiVersion", "v1").put("kind", "ConfigMap");
        configMap.putObject("metadata").put("name", name);
        configMap.putObject("data").put("v", value);
        return configMap;
    }

    private static Path createDataDir() {
        try {
            Path dir = Files.createTempDirectory("platform-compaction-test");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try (Stream<Path> paths = Files.walk(dir)) {
                    paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                } catch (IOException e) {
                    // the JVM is exiting; a leftover temp dir is harmless
                }
            }));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
