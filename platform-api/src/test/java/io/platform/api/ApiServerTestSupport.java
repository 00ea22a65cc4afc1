package io.platform.api;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.platform.api.pki.CertificateAuthority;
import io.platform.api.pki.IssuedCertificate;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.netty.http.client.HttpClient;
import io.platform.api.json.Json;
import io.platform.api.storage.Store;
import tools.jackson.databind.node.ObjectNode;

/**
 * One API server on a random port over real TLS, shared by the API tests (same Spring context),
 * with a data dir of its own; clients authenticate with certificates from the cluster CA.
 */
@SpringBootTest(classes = ApiServerApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"server.address=127.0.0.1", "platform.api.watch.bookmark-interval=1s",
                "platform.api.storage.poll-interval=200ms"})
public abstract class ApiServerTestSupport {

    static final Path DATA_DIR = createDataDir();

    @LocalServerPort
    int port;

    @Autowired
    protected Store store;

    private static @Nullable WebTestClient admin;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("platform.api.data-dir", DATA_DIR::toString);
    }

    private static Path createDataDir() {
        try {
            Path dir = Files.createTempDirectory("platform-api-test");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // the JVM is exiting; a leftover temp dir is harmless
        }
    }

    /** A client authenticated as {@code admin} (group system:masters). */
    protected WebTestClient client() {
        if (admin == null) {
            admin = client(CertificateAuthority.loadOrCreate(DATA_DIR.resolve("pki"))
                    .issueClient("admin", List.of("system:masters")));
        }
        return admin;
    }

    /** A client with the given certificate, or none. */
    protected WebTestClient client(@Nullable IssuedCertificate certificate) {
        try {
            SslContextBuilder builder = SslContextBuilder.forClient().trustManager(DATA_DIR.resolve("pki/ca.crt").toFile());
            if (certificate != null) {
                builder.keyManager(stream(certificate.certificatePem()), stream(certificate.privateKeyPem()));
            }
            SslContext ssl = builder.build();
            HttpClient http = HttpClient.create().secure(spec -> spec.sslContext(ssl));
            return WebTestClient.bindToServer(new ReactorClientHttpConnector(http))
                    .baseUrl("https://localhost:" + port)
                    .responseTimeout(Duration.ofSeconds(20))
                    .codecs(c -> c.defaultCodecs().maxInMemorySize(16 * 1024 * 1024))
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ByteArrayInputStream stream(String pem) {
        return new ByteArrayInputStream(pem.getBytes(StandardCharsets.UTF_8));
    }

    /** A fresh namespace per test, so tests never see each other's objects. */
    protected String newNamespace() {
        String name = "t-" + UUID.randomUUID().toString().substring(0, 8);
        post("/api/v1/namespaces", Map.of("apiVersion", "v1", "kind", "Namespace", "metadata", Map.of("name", name)), 201);
        return name;
    }

    protected ObjectNode post(String path, Object body, int expectedStatus) {
        return exchange(client().post().uri(path).contentType(MediaType.APPLICATION_JSON).bodyValue(body), expectedStatus);
    }

    protected ObjectNode put(String path, Object body, int expectedStatus) {
        return exchange(client().put().uri(path).contentType(MediaType.APPLICATION_JSON).bodyValue(body), expectedStatus);
    }

    protected ObjectNode patch(String path, String contentType, String body, int expectedStatus) {
        return exchange(client().patch().uri(path).contentType(MediaType.parseMediaType(contentType)).bodyValue(body),
                expectedStatus);
    }

    protected ObjectNode get(String path, int expectedStatus) {
        return exchange(client().get().uri(path), expectedStatus);
    }

    protected ObjectNode delete(String path, int expectedStatus) {
        return exchange(client().delete().uri(path), expectedStatus);
    }

    protected static ObjectNode exchange(WebTestClient.RequestHeadersSpec<?> request, int expectedStatus) {
        byte[] body = request.exchange().expectStatus().isEqualTo(expectedStatus)
                .expectBody().returnResult().getResponseBody();
        return body == null || body.length == 0 ? Json.object() : Json.parseObject(body);
    }

    protected static Map<String, Object> configMap(String name, Map<String, String> labels, Map<String, String> data) {
        return Map.of("apiVersion", "v1", "kind", "ConfigMap",
                "metadata", Map.of("name", name, "labels", labels), "data", data);
    }

    protected static Map<String, Object> pod(String name, Map<String, String> labels) {
        return Map.of("apiVersion", "v1", "kind", "Pod", "metadata", Map.of("name", name, "labels", labels),
                "spec", Map.of("containers", List.of(Map.of("name", "main", "image", "busybox:1.35"))));
    }

    protected static Map<String, Object> deployment(String name, int replicas) {
        Map<String, String> labels = Map.of("app", name);
        return Map.of("apiVersion", "apps/v1", "kind", "Deployment", "metadata", Map.of("name", name),
                "spec", Map.of("replicas", replicas, "selector", Map.of("matchLabels", labels),
                        "template", Map.of("metadata", Map.of("labels", labels),
                                "spec", Map.of("containers", List.of(Map.of("name", "web", "image", "busybox:1.35"))))));
    }
}
