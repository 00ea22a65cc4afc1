package io.platform.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.platform.api.json.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class ListWatchTest extends ApiServerTestSupport {

    private static List<String> names(JsonNode list) {
        List<String> names = new ArrayList<>();
        list.path("items").forEach(item -> names.add(item.path("metadata").path("name").asString()));
        return names;
    }

    @Test
    void labelAndFieldSelectorsFilterLists() {
        String ns = newNamespace();
        String base = "/api/v1/namespaces/" + ns + "/configmaps";
        post(base, configMap("a", Map.of("tier", "front", "env", "prod"), Map.of()), 201);
        post(base, configMap("b", Map.of("tier", "back", "env", "prod"), Map.of()), 201);
        post(base, configMap("c", Map.of("tier", "back"), Map.of()), 201);

        ObjectNode list = get(base, 200);
        assertThat(list.path("kind").asString()).isEqualTo("ConfigMapList");
        assertThat(list.path("metadata").path("resourceVersion").asString()).isNotEmpty();
        assertThat(names(list)).containsExactly("a", "b", "c");
        assertThat(names(get(base + "?labelSelector=tier=back", 200))).containsExactly("b", "c");
        assertThat(names(get(base + "?labelSelector=tier!=back", 200))).containsExactly("a");
        assertThat(names(get(base + "?labelSelector=tier in (front,middle)", 200))).containsExactly("a");
        assertThat(names(get(base + "?labelSelector=tier notin (front),env", 200))).containsExactly("b");
        assertThat(names(get(base + "?labelSelector=!env", 200))).containsExactly("c");
        assertThat(names(get(base + "?fieldSelector=metadata.name=b", 200))).containsExactly("b");
        assertThat(names(get(base + "?fieldSelector=metadata.name!=b", 200))).containsExactly("a", "c");
        ObjectNode bad = get(base + "?fieldSelector=spec.nodeName=x", 400);
        assertThat(bad.path("reason").asString()).isEqualTo("BadRequest");

        String pods = "/api/v1/namespaces/" + ns + "/pods";
        post(pods, pod("p1", Map.of()), 201);
        post(pods, pod("p2", Map.of()), 201);
        post(pods + "/p2/binding", Map.of("apiVersion", "v1", "kind", "Binding", "metadata", Map.of("name", "p2"),
                "target", Map.of("kind", "Node", "name", "node-1")), 201);
        assertThat(names(get(pods + "?fieldSelector=spec.nodeName=", 200))).containsExactly("p1");
        assertThat(names(get(pods + "?fieldSelector=spec.nodeName=node-1,status.phase=Pending", 200))).containsExactly("p2");
        assertThat(names(get("/api/v1/pods?fieldSelector=metadata.namespace=" + ns, 200))).containsExactly("p1", "p2");
    }

    @Test
    void paginationWithContinueTokens() {
        String ns = newNamespace();
        String base = "/api/v1/namespaces/" + ns + "/configmaps";
        for (int i = 0; i < 5; i++) {
            post(base, configMap("cm-" + i, Map.of(), Map.of()), 201);
        }
        ObjectNode first = get(base + "?limit=2", 200);
        assertThat(names(first)).containsExactly("cm-0", "cm-1");
        String token = first.path("metadata").path("continue").asString();
        assertThat(token).isNotEmpty();
        post(base, configMap("cm-5", Map.of(), Map.of()), 201);
        ObjectNode second = get(base + "?limit=2&continue=" + token, 200);
        assertThat(names(second)).containsExactly("cm-2", "cm-3");
        assertThat(second.path("metadata").path("resourceVersion")).isEqualTo(first.path("metadata").path("resourceVersion"));
        ObjectNode last = get(base + "?limit=2&continue=" + second.path("metadata").path("continue").asString(), 200);
        assertThat(names(last)).containsExactly("cm-4");
        assertThat(last.path("metadata").has("continue")).isFalse();
        get(base + "?continue=garbage", 400);
    }

    @Test
    void listsFromTheWatchCacheFollowResourceVersionSemantics() {
        String ns = newNamespace();
        String base = "/api/v1/namespaces/" + ns + "/configmaps";
        for (int i = 0; i < 5; i++) {
            ObjectNode created = post(base, configMap("cm-" + i, Map.of(), Map.of()), 201);
            // a consistent list sees the write acknowledged just before
            ObjectNode list = get(base, 200);
            assertThat(names(list)).contains("cm-" + i);
            assertThat(Long.parseLong(list.path("metadata").path("resourceVersion").asString()))
                    .isGreaterThanOrEqualTo(Long.parseLong(created.path("metadata").path("resourceVersion").asString()));
        }
        // resourceVersion=0 is served whole from the cache, the limit ignored as upstream
        ObjectNode any = get(base + "?limit=2&resourceVersion=0", 200);
        assertThat(names(any)).hasSize(5);
        assertThat(any.path("metadata").has("continue")).isFalse();
        String rv = any.path("metadata").path("resourceVersion").asString();
        ObjectNode notOlder = get(base + "?resourceVersion=" + rv + "&resourceVersionMatch=NotOlderThan&limit=2", 200);
        assertThat(names(notOlder)).containsExactly("cm-0", "cm-1");
        assertThat(notOlder.path("metadata").path("continue").asString()).isNotEmpty();

        ObjectNode tooLarge = get(base + "?resourceVersion=" + (Long.parseLong(rv) + 1_000_000)
                + "&resourceVersionMatch=NotOlderThan", 504);
        assertThat(tooLarge.path("reason").asString()).isEqualTo("Timeout");
        assertThat(tooLarge.path("message").asString()).contains("Too large resource version");
        ObjectNode invalid = get(base + "?resourceVersionMatch=Exact", 422);
        assertThat(invalid.path("reason").asString()).isEqualTo("Invalid");
    }

    private Flux<JsonNode> watch(String uri) {
        return client().get().uri(uri).exchange().expectStatus().isOk()
                .returnResult(String.class).getResponseBody()
                .filter(line -> !line.isBlank())
                .map(line -> (JsonNode) Json.parseObject(line.getBytes()));
    }

    @Test
    void watchFromZeroSendsSyntheticAddedThenChanges() {
        String ns = newNamespace();
        String base = "/api/v1/namespaces/" + ns + "/configmaps";
        post(base, configMap("before", Map.of(), Map.of()), 201);
        Flux<JsonNode> events = watch(base + "?watch=true&resourceVersion=0&timeoutSeconds=10");
        List<JsonNode> received = new ArrayList<>();
        events.take(3).doOnNext(received::add)
                .subscribe();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> received.size() >= 1);
        post(base, configMap("after", Map.of(), Map.of()), 201);
        delete(base + "/before", 200);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> received.size() >= 3);
        assertThat(received.get(0).path("type").asString()).isEqualTo("ADDED");
        assertThat(received.get(0).path("object").path("metadata").path("name").asString()).isEqualTo("before");
        assertThat(received.get(1).path("type").asString()).isEqualTo("ADDED");
        assertThat(received.get(1).path("object").path("metadata").path("name").asString()).isEqualTo("after");
        assertThat(received.get(2).path("type").asString()).isEqualTo("DELETED");
        assertThat(received.get(2).path("object").path("metadata").path("name").asString()).isEqualTo("before");
    }

    @Test
    void watchListSendsTheStateThenTheInitialEventsEndBookmarkThenChanges() {
        String ns = newNamespace();
        String base = "/api/v1/namespaces/" + ns + "/configmaps";
        post(base, configMap("one", Map.of(), Map.of()), 201);
        ObjectNode two = post(base, configMap("two", Map.of(), Map.of()), 201);
        List<JsonNode> received = new ArrayList<>();
        watch(base + "?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true"
                + "&timeoutSeconds=10").filter(e -> !isPlainBookmark(e)).take(4).subscribe(received::add);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> received.size() >= 3);
        post(base, configMap("three", Map.of(), Map.of()), 201);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> received.size() >= 4);

        assertThat(received).extracting(e -> e.path("type").asString() + " " + e.path("object").path("metadata").path("name").asString())
                .containsExactly("ADDED one", "ADDED two", "BOOKMARK ", "ADDED three");
        JsonNode end = received.get(2).path("object").path("metadata");
        assertThat(end.path("annotations").path("k8s.io/initial-events-end").asString()).isEqualTo("true");
        assertThat(Long.parseLong(end.path("resourceVersion").asString()))
                .isGreaterThanOrEqualTo(Long.parseLong(two.path("metadata").path("resourceVersion").asString()));
    }

    private static boolean isPlainBookmark(JsonNode event) {
        return event.path("type").asString().equals("BOOKMARK")
                && event.path("object").path("metadata").path("annotations").isMissingNode();
    }

    @Test
    void watchWithoutInitialEventsStartsAfterTheLatestChange() {
        String ns = newNamespace();
        String base = "/api/v1/namespaces/" + ns + "/configmaps";
        post(base, configMap("old", Map.of(), Map.of()), 201);
        List<JsonNode> received = new ArrayList<>();
        watch(base + "?watch=true&sendInitialEvents=false&resourceVersionMatch=NotOlderThan&timeoutSeconds=10")
                .take(1).subscribe(received::add);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            post(base, configMap("new-" + received.size() + "-" + System.nanoTime(), Map.of(), Map.of()), 201);
            assertThat(received).isNotEmpty();
        });
        assertThat(received.get(0).path("object").path("metadata").path("name").asString()).startsWith("new-");
    }

    @Test
    void contradictoryWatchListOptionsAreInvalid() {
        String base = "/api/v1/namespaces/default/configmaps";
        ObjectNode noMatch = get(base + "?watch=true&sendInitialEvents=true", 422);
        assertThat(noMatch.path("message").asString())
                .contains("sendInitialEvents requires setting resourceVersionMatch to NotOlderThan");
        ObjectNode matchAlone = get(base + "?watch=true&resourceVersionMatch=NotOlderThan", 422);
        assertThat(matchAlone.path("message").asString())
                .contains("resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided");
        ObjectNode onList = get(base + "?sendInitialEvents=true", 422);
        assertThat(onList.path("details").path("causes").get(0).path("field").asString()).isEqualTo("sendInitialEvents");
    }

    @Test
    void watchFromResourceVersionWithFieldSelector() {
        String ns = newNamespace();
        String base = "/api/v1/namespaces/" + ns + "/configmaps";
        ObjectNode a = post(base, configMap("a", Map.of(), Map.of("v", "1")), 201);
        String rv = a.path("metadata").path("resourceVersion").asString();
        post(base, configMap("b", Map.of(), Map.of()), 201);
        ObjectNode a2 = a.deepCopy();
        ((ObjectNode) a2.path("data")).put("v", "2");
        put(base + "/a", a2, 200);
        List<JsonNode> events = watch(base + "?watch=1&resourceVersion=" + rv + "&fieldSelector=metadata.name=a&timeoutSeconds=5")
                .take(1).collectList().block(Duration.ofSeconds(10));
        assertThat(events).hasSize(1);
        assertThat(events.get(0).path("type").asString()).isEqualTo("MODIFIED");
        assertThat(events.get(0).path("object").path("data").path("v").asString()).isEqualTo("2");
    }

    @Test
    void labelChangesMoveObjectsInAndOutOfAWatch() {
        String ns = newNamespace();
        String base = "/api/v1/namespaces/" + ns + "/configmaps";
        ObjectNode created = post(base, configMap("x", Map.of("app", "a"), Map.of()), 201);
        String rv = created.path("metadata").path("resourceVersion").asString();
        ObjectNode relabelled = created.deepCopy();
        ((ObjectNode) relabelled.path("metadata").path("labels")).put("app", "b");
        ObjectNode second = put(base + "/x", relabelled, 200);
        ObjectNode back = second.deepCopy();
        ((ObjectNode) back.path("metadata").path("labels")).put("app", "a");
        put(base + "/x", back, 200);
        List<String> types = watch(base + "?watch=true&labelSelector=app=a&timeoutSeconds=5&resourceVersion=" + rv)
                .take(2).map(e -> e.path("type").asString()).collectList().block(Duration.ofSeconds(10));
        assertThat(types).containsExactly("DELETED", "ADDED");
    }

    @Test
    void compactedResourceVersionEndsTheWatchWithExpired() {
        String ns = newNamespace();
        String base = "/api/v1/namespaces/" + ns + "/configmaps";
        ObjectNode first = post(base, configMap("old", Map.of(), Map.of()), 201);
        post(base, configMap("newer", Map.of(), Map.of()), 201);
        long rv = Long.parseLong(first.path("metadata").path("resourceVersion").asString());
        store.compact(rv + 1);
        List<JsonNode> events = watch(base + "?watch=true&resourceVersion=" + (rv - 1) + "&timeoutSeconds=5")
                .collectList().block(Duration.ofSeconds(10));
        assertThat(events).hasSize(1);
        assertThat(events.get(0).path("type").asString()).isEqualTo("ERROR");
        assertThat(events.get(0).path("object").path("code").asInt()).isEqualTo(410);
        assertThat(events.get(0).path("object").path("reason").asString()).isEqualTo("Expired");
    }

    @Test
    void watchWithoutEventsOpensAtOnceAndSendsBookmarks() {
        String ns = newNamespace();
        ObjectNode list = get("/api/v1/namespaces/" + ns + "/configmaps", 200);
        String rv = list.path("metadata").path("resourceVersion").asString();
        JsonNode bookmark = watch("/api/v1/namespaces/" + ns + "/configmaps?watch=true&allowWatchBookmarks=true&timeoutSeconds=5&resourceVersion=" + rv)
                .blockFirst(Duration.ofSeconds(10));
        assertThat(bookmark.path("type").asString()).isEqualTo("BOOKMARK");
        assertThat(Long.parseLong(bookmark.path("object").path("metadata").path("resourceVersion").asString()))
                .isGreaterThanOrEqualTo(Long.parseLong(rv));
    }

    @Test
    void tablesForGetListAndWatch() {
        String ns = newNamespace();
        String pods = "/api/v1/namespaces/" + ns + "/pods";
        post(pods, pod("p", Map.of()), 201);
        MediaType table = MediaType.parseMediaType("application/json;as=Table;v=v1;g=meta.k8s.io");
        byte[] body = client().get().uri(pods).accept(table, MediaType.APPLICATION_JSON).exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectHeader().valueMatches("Content-Type", ".*as=Table.*")
                .expectBody().returnResult().getResponseBody();
        ObjectNode list = Json.parseObject(body);
        assertThat(list.path("kind").asString()).isEqualTo("Table");
        assertThat(list.path("metadata").path("resourceVersion").asString()).isNotEmpty();
        byte[] one = client().get().uri(pods + "/p").accept(table).exchange().expectStatus().isOk()
                .expectBody().returnResult().getResponseBody();
        assertThat(Json.parseObject(one).path("kind").asString()).isEqualTo("Table");
        JsonNode event = client().get().uri(pods + "?watch=true&timeoutSeconds=5").accept(table).exchange()
                .expectStatus().isOk().returnResult(String.class).getResponseBody()
                .filter(line -> !line.isBlank()).map(line -> (JsonNode) Json.parseObject(line.getBytes()))
                .blockFirst(Duration.ofSeconds(10));
        assertThat(event.path("type").asString()).isEqualTo("ADDED");
        assertThat(event.path("object").path("kind").asString()).isEqualTo("Table");
    }
}
