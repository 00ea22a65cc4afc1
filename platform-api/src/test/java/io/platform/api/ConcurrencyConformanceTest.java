package io.platform.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.platform.api.json.Json;
import io.platform.api.pki.CertificateAuthority;
import io.platform.api.pki.IssuedCertificate;
import io.platform.api.testing.RunningApiServer;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The API server's consistency guarantees, checked over real HTTPS against a running server: of concurrent
 * writes from the same resourceVersion exactly one wins and every other gets a 409 Conflict Status; a watch
 * from any retained revision delivers every later acknowledged write exactly once, in revision order.
 */
@Timeout(60)
class ConcurrencyConformanceTest {

    private static final int WRITERS = 8;
    private static final int ROUNDS = 5;

    private static RunningApiServer server;
    private static HttpClient http;
    private static ExecutorService pool;

    @BeforeAll
    static void start() throws GeneralSecurityException, IOException {
        server = RunningApiServer.start("node-a");
        CertificateAuthority ca = CertificateAuthority.loadOrCreate(server.dataDir().resolve("pki"));
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .sslContext(sslContext(ca, ca.issueClient("admin", List.of("system:masters"))))
                .connectTimeout(Duration.ofSeconds(5)).build();
        pool = Executors.newFixedThreadPool(WRITERS);
    }

    @AfterAll
    static void stop() {
        pool.shutdownNow();
        http.close();
        server.close();
    }

    @Test
    void concurrentUpdatesFromOneResourceVersionHaveExactlyOneWinner() throws Exception {
        String ns = namespace("contended");
        String path = "/api/v1/namespaces/" + ns + "/configmaps";
        send("POST", path, json(Map.of("apiVersion", "v1", "kind", "ConfigMap",
                "metadata", Map.of("name", "shared"), "data", Map.of("writer", "none"))), 201);
        for (int round = 0; round < ROUNDS; round++) {
            for (String method : List.of("PUT", "PATCH")) {
                ObjectNode current = Json.parseObject(send("GET", path + "/shared", null, 200).body());
                String resourceVersion = current.path("metadata").path("resourceVersion").asString();
                List<Callable<HttpResponse<byte[]>>> writes = new ArrayList<>();
                for (int writer = 0; writer < WRITERS; writer++) {
                    String value = method + "-" + round + "-" + writer;
                    String body;
                    if (method.equals("PUT")) {
                        ObjectNode changed = current.deepCopy();
                        ((ObjectNode) changed.path("data")).put("writer", value);
                        body = Json.string(changed);
                    } else {
                        body = json(Map.of("metadata", Map.of("resourceVersion", resourceVersion),
                                "data", Map.of("writer", value)));
                    }
                    writes.add(() -> send(method, path + "/shared", body, -1));
                }
                List<HttpResponse<byte[]>> responses = all(writes);

                List<HttpResponse<byte[]>> won = responses.stream().filter(r -> r.statusCode() == 200).toList();
                List<HttpResponse<byte[]>> lost = responses.stream().filter(r -> r.statusCode() == 409).toList();
                assertThat(won).as("%s round %d winners", method, round).hasSize(1);
                assertThat(lost).as("%s round %d conflicts", method, round).hasSize(WRITERS - 1);
                for (HttpResponse<byte[]> conflict : lost) {
                    ObjectNode status = Json.parseObject(conflict.body());
                    assertThat(status.path("kind").asString()).isEqualTo("Status");
                    assertThat(status.path("reason").asString()).isEqualTo("Conflict");
                    assertThat(status.path("code").asInt()).isEqualTo(409);
                    assertThat(status.path("message").asString()).contains("the object has been modified");
                }
                ObjectNode winner = Json.parseObject(won.getFirst().body());
                ObjectNode stored = Json.parseObject(send("GET", path + "/shared", null, 200).body());
                assertThat(stored.path("data").path("writer").asString()).isEqualTo(winner.path("data").path("writer").asString());
                assertThat(stored.path("metadata").path("resourceVersion").asString())
                        .isEqualTo(winner.path("metadata").path("resourceVersion").asString())
                        .isNotEqualTo(resourceVersion);
            }
        }
    }

    @Test
    void watchesFromRetainedRevisionsSeeEveryLaterWriteExactlyOnceInOrder() throws Exception {
        String ns = namespace("history");
        String path = "/api/v1/namespaces/" + ns + "/pods";
        long start = Long.parseLong(Json.parseObject(send("GET", path, null, 200).body())
                .path("metadata").path("resourceVersion").asString());

        // writers race over their own pods: create, two label changes, delete, several times over
        List<Write> history = new CopyOnWriteArrayList<>();
        List<Callable<HttpResponse<byte[]>>> writers = new ArrayList<>();
        for (int writer = 0; writer < 4; writer++) {
            int id = writer;
            writers.add(() -> {
                for (int k = 0; k < 8; k++) {
                    String name = "w" + id + "-" + k;
                    history.add(Write.of("ADDED", send("POST", path, json(pod(name)), 201)));
                    for (int change = 0; change < 2; change++) {
                        history.add(Write.of("MODIFIED", send("PATCH", path + "/" + name,
                                "{\"metadata\":{\"labels\":{\"change\":\"" + change + "\"}}}", 200)));
                    }
                    history.add(Write.of("DELETED", send("DELETE", path + "/" + name, null, 200)));
                }
                return null;
            });
        }
        all(writers);
        List<Write> acknowledged = history.stream().sorted(Comparator.comparingLong(Write::revision)).toList();
        assertThat(acknowledged).hasSize(4 * 8 * 4);
        assertThat(acknowledged.stream().map(Write::revision).distinct()).hasSize(acknowledged.size());

        List<Long> from = List.of(start, acknowledged.get(20).revision(), acknowledged.get(acknowledged.size() / 2).revision(),
                acknowledged.get(acknowledged.size() - 2).revision(), acknowledged.getLast().revision());
        List<Future<List<Write>>> watches = new ArrayList<>();
        CountDownLatch opened = new CountDownLatch(from.size());
        for (long revision : from) {
            watches.add(pool.submit(() -> watchUntilSentinel(path, revision, opened)));
        }
        assertThat(opened.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        // a write after the history, so each watch knows it has seen everything it will get before it
        send("POST", path, json(pod("sentinel")), 201);
        for (int i = 0; i < from.size(); i++) {
            long revision = from.get(i);
            List<Write> expected = acknowledged.stream().filter(w -> w.revision() > revision).toList();
            assertThat(watches.get(i).get()).as("watch from %d", revision).containsExactlyElementsOf(expected);
        }
    }

    /** The events of a watch from {@code revision} up to (not including) the sentinel pod's creation. */
    private static List<Write> watchUntilSentinel(String path, long revision, CountDownLatch opened)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.url() + path + "?watch=true&timeoutSeconds=30&resourceVersion=" + revision))
                .GET().build();
        HttpResponse<Stream<String>> response = http.send(request, HttpResponse.BodyHandlers.ofLines());
        opened.countDown();
        assertThat(response.statusCode()).isEqualTo(200);
        List<Write> events = new ArrayList<>();
        try (Stream<String> lines = response.body()) {
            Iterator<String> it = lines.filter(line -> !line.isBlank()).iterator();
            while (it.hasNext()) {
                ObjectNode event = Json.parseObject(it.next().getBytes(StandardCharsets.UTF_8));
                String type = event.path("type").asString();
                assertThat(type).as("event %s", event).isIn("ADDED", "MODIFIED", "DELETED");
                JsonNode metadata = event.path("object").path("metadata");
                if (metadata.path("name").asString().equals("sentinel")) {
                    return events;
                }
                events.add(new Write(type, metadata.path("name").asString(), Long.parseLong(metadata.path("resourceVersion").asString())));
            }
        }
        throw new AssertionError("the watch from " + revision + " ended before the sentinel; it saw " + events);
    }

    private record Write(String type, String name, long revision) {

        static Write of(String type, HttpResponse<byte[]> response) {
            JsonNode metadata = Json.parseObject(response.body()).path("metadata");
            return new Write(type, metadata.path("name").asString(), Long.parseLong(metadata.path("resourceVersion").asString()));
        }
    }

    private static <T> List<T> all(List<Callable<T>> tasks) throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        List<Future<T>> futures = new ArrayList<>();
        for (Callable<T> task : tasks) {
            futures.add(pool.submit(() -> {
                gate.await();
                return task.call();
            }));
        }
        gate.countDown();
        List<T> results = new ArrayList<>();
        for (Future<T> future : futures) {
            results.add(future.get());
        }
        return results;
    }

    private static String namespace(String prefix) {
        String name = prefix + "-" + Long.toHexString(System.nanoTime());
        send("POST", "/api/v1/namespaces", json(Map.of("apiVersion", "v1", "kind", "Namespace",
                "metadata", Map.of("name", name))), 201);
        return name;
    }

    private static String json(Object value) {
        return Json.MAPPER.writeValueAsString(value);
    }

    private static Map<String, Object> pod(String name) {
        return Map.of("apiVersion", "v1", "kind", "Pod", "metadata", Map.of("name", name),
                "spec", Map.of("containers", List.of(Map.of("name", "main", "image", "busybox:1.35"))));
    }

    /** One request; {@code expectedStatus} -1 accepts any status. */
    private static HttpResponse<byte[]> send(String method, String path, String body, int expectedStatus) {
        String contentType = method.equals("PATCH") ? "application/merge-patch+json" : "application/json";
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.url() + path))
                .header("Content-Type", contentType)
                .timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (expectedStatus >= 0) {
                assertThat(response.statusCode()).as("%s %s: %s", method, path, new String(response.body(), StandardCharsets.UTF_8))
                        .isEqualTo(expectedStatus);
            }
            return response;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new InterruptedIOException(method + " " + path + " interrupted"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static SSLContext sslContext(CertificateAuthority ca, IssuedCertificate client) throws GeneralSecurityException, IOException {
        char[] password = "unused".toCharArray();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("client", client.privateKey(), password, new Certificate[] {client.certificate()});
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, password);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca.certificate());
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
        return context;
    }
}
