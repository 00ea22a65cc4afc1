package io.platform.api.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.platform.api.json.Json;
import io.platform.api.pki.CertificateAuthority;
import io.platform.api.pki.IssuedCertificate;
import io.platform.api.testing.RunningApiServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.JsonNode;

/** Requests against a real API server each leave one event, at the level the policy file chose. */
class AuditFilterTest {

    private static final String POLICY = """
            apiVersion: audit.k8s.io/v1
            kind: Policy
            omitStages: [RequestReceived]
            rules:
              - level: None
                nonResourceURLs: [/livez, /readyz, /version]
              - level: Metadata
                resources: [{group: "", resources: [secrets]}]
              - level: RequestResponse
                resources: [{group: "", resources: [configmaps]}]
              - level: Request
                resources: [{group: "", resources: [serviceaccounts]}]
              - level: Metadata
            """;

    private static Path policyDir;
    private static RunningApiServer server;
    private static WebTestClient admin;
    private static WebTestClient bob;
    private static WebTestClient anonymous;

    @BeforeAll
    static void start() throws IOException {
        policyDir = Files.createTempDirectory("audit-policy");
        Path policy = Files.writeString(policyDir.resolve("policy.yaml"), POLICY);
        server = RunningApiServer.start("node-1", Map.of(AuditProperties.PREFIX + ".policy-file", policy.toString()));
        CertificateAuthority ca = CertificateAuthority.loadOrCreate(server.dataDir().resolve("pki"));
        admin = client(ca.issueClient("admin", List.of("system:masters")));
        bob = client(ca.issueClient("bob", List.of()));
        anonymous = client(null);
    }

    @AfterAll
    static void stop() throws IOException {
        server.close();
        Files.walk(policyDir).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }

    private static WebTestClient client(@Nullable IssuedCertificate certificate) {
        try {
            SslContextBuilder builder = SslContextBuilder.forClient()
                    .trustManager(server.dataDir().resolve("pki/ca.crt").toFile());
            if (certificate != null) {
                builder.keyManager(stream(certificate.certificatePem()), stream(certificate.privateKeyPem()));
            }
            SslContext ssl = builder.build();
            return WebTestClient.bindToServer(new ReactorClientHttpConnector(HttpClient.create()
                            .secure(spec -> spec.sslContext(ssl))))
                    .baseUrl(server.url()).responseTimeout(Duration.ofSeconds(20)).build();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static ByteArrayInputStream stream(String pem) {
        return new ByteArrayInputStream(pem.getBytes(StandardCharsets.UTF_8));
    }

    private static String auditId(EntityExchangeResult<byte[]> result, int status) {
        assertThat(result.getStatus().value()).as(new String(result.getResponseBodyContent() == null ? new byte[0]
                : result.getResponseBodyContent(), StandardCharsets.UTF_8)).isEqualTo(status);
        String id = result.getResponseHeaders().getFirst(AuditFilter.AUDIT_ID_HEADER);
        assertThat(id).isNotBlank();
        return id;
    }

    private static List<JsonNode> events() throws IOException {
        Path log = server.dataDir().resolve("audit.log");
        if (!Files.exists(log)) {
            return List.of();
        }
        return Files.readAllLines(log).stream().map(line -> (JsonNode) Json.parseObject(line.getBytes(StandardCharsets.UTF_8)))
                .toList();
    }

    private static List<JsonNode> events(String auditId) throws IOException {
        return events().stream().filter(e -> e.path("auditID").asString("").equals(auditId)).toList();
    }

    /** The one ResponseComplete event of {@code auditId}, once written. */
    private static JsonNode completed(String auditId) {
        return await().until(() -> events(auditId).stream()
                .filter(e -> e.path("stage").asString("").equals("ResponseComplete")).toList(), list -> !list.isEmpty())
                .getFirst();
    }

    @Test
    void eachRequestIsRecordedOnceWithUserVerbResourceAndCode() throws IOException {
        String create = auditId(admin.post().uri("/api/v1/namespaces/default/configmaps")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"audited\"},"
                        + "\"data\":{\"k\":\"v\"}}")
                .exchange().expectBody().returnResult(), 201);
        String get = auditId(admin.get().uri("/api/v1/namespaces/default/configmaps/audited")
                .exchange().expectBody().returnResult(), 200);
        String missing = auditId(admin.get().uri("/api/v1/namespaces/default/configmaps/nothing")
                .exchange().expectBody().returnResult(), 404);
        String forbidden = auditId(bob.get().uri("/api/v1/namespaces/default/pods")
                .exchange().expectBody().returnResult(), 403);
        String unauthenticated = auditId(anonymous.get().uri("/api/v1/pods").exchange().expectBody().returnResult(), 401);
        String discovery = auditId(bob.get().uri("/api").exchange().expectBody().returnResult(), 200);
        String chosen = auditId(admin.get().uri("/api/v1/namespaces").header("Audit-ID", "my-own-id")
                .exchange().expectBody().returnResult(), 200);

        JsonNode created = completed(create);
        assertThat(created.path("apiVersion").asString("")).isEqualTo("audit.k8s.io/v1");
        assertThat(created.path("kind").asString("")).isEqualTo("Event");
        assertThat(created.path("verb").asString("")).isEqualTo("create");
        assertThat(created.path("user").path("username").asString("")).isEqualTo("admin");
        assertThat(created.path("user").path("groups").toString()).contains("system:masters");
        assertThat(created.path("objectRef").path("resource").asString("")).isEqualTo("configmaps");
        assertThat(created.path("objectRef").path("namespace").asString("")).isEqualTo("default");
        assertThat(created.path("objectRef").path("apiVersion").asString("")).isEqualTo("v1");
        assertThat(created.path("responseStatus").path("code").asInt()).isEqualTo(201);
        assertThat(created.path("requestURI").asString("")).isEqualTo("/api/v1/namespaces/default/configmaps");
        assertThat(created.path("sourceIPs").toString()).contains("127.0.0.1");
        assertThat(created.path("userAgent").asString("")).isNotEmpty();
        assertThat(created.path("annotations").path("authorization.k8s.io/decision").asString("")).isEqualTo("allow");
        assertThat(created.path("requestReceivedTimestamp").asString(""))
                .matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{6}Z");
        assertThat(created.path("stageTimestamp").asString("")).isGreaterThanOrEqualTo(
                created.path("requestReceivedTimestamp").asString(""));
        // RequestResponse for configmaps: both bodies
        assertThat(created.path("level").asString("")).isEqualTo("RequestResponse");
        assertThat(created.path("requestObject").path("data").path("k").asString("")).isEqualTo("v");
        assertThat(created.path("responseObject").path("metadata").path("uid").asString("")).isNotEmpty();

        JsonNode read = completed(get);
        assertThat(read.path("verb").asString("")).isEqualTo("get");
        assertThat(read.path("objectRef").path("name").asString("")).isEqualTo("audited");
        assertThat(read.path("responseStatus").path("code").asInt()).isEqualTo(200);

        JsonNode notFound = completed(missing);
        assertThat(notFound.path("responseStatus").path("code").asInt()).isEqualTo(404);
        assertThat(notFound.path("responseStatus").path("status").asString("")).isEqualTo("Failure");
        assertThat(notFound.path("responseStatus").path("reason").asString("")).isEqualTo("NotFound");
        assertThat(notFound.path("responseStatus").path("message").asString("")).contains("\"nothing\" not found");

        JsonNode refused = completed(forbidden);
        assertThat(refused.path("user").path("username").asString("")).isEqualTo("bob");
        assertThat(refused.path("verb").asString("")).isEqualTo("list");
        assertThat(refused.path("objectRef").path("resource").asString("")).isEqualTo("pods");
        assertThat(refused.path("responseStatus").path("code").asInt()).isEqualTo(403);
        assertThat(refused.path("responseStatus").path("reason").asString("")).isEqualTo("Forbidden");
        assertThat(refused.path("annotations").path("authorization.k8s.io/decision").asString("")).isEqualTo("forbid");

        // RBAC's reason for an allowed request, as kube-apiserver annotates it
        JsonNode discovered = completed(discovery);
        assertThat(discovered.path("annotations").path("authorization.k8s.io/decision").asString("")).isEqualTo("allow");
        assertThat(discovered.path("annotations").path("authorization.k8s.io/reason").asString(""))
                .isEqualTo("RBAC: allowed by ClusterRoleBinding \"system:discovery\" of ClusterRole \"system:discovery\""
                        + " to Group \"system:authenticated\"");

        JsonNode noUser = completed(unauthenticated);
        assertThat(noUser.path("user").path("username").isMissingNode()).isTrue();
        assertThat(noUser.path("responseStatus").path("code").asInt()).isEqualTo(401);

        assertThat(chosen).isEqualTo("my-own-id");
        assertThat(completed(chosen).path("level").asString("")).isEqualTo("Metadata");
        assertThat(completed(chosen).has("responseObject")).isFalse();

        for (String id : List.of(create, get, missing, forbidden, unauthenticated, chosen)) {
            assertThat(events(id)).as(id).hasSize(1);
        }
    }

    @Test
    void anImpersonatedRequestRecordsTheRequesterAndWhomTheyActedAs() {
        String impersonated = auditId(admin.get().uri("/api/v1/namespaces/default/secrets")
                .header("Impersonate-User", "carol").exchange().expectBody().returnResult(), 403);

        JsonNode event = completed(impersonated);
        assertThat(event.path("user").path("username").asString("")).isEqualTo("admin");
        assertThat(event.path("impersonatedUser").path("username").asString("")).isEqualTo("carol");
        assertThat(event.path("responseStatus").path("code").asInt()).isEqualTo(403);
    }

    @Test
    void aWatchIsRecordedWhenItStartsAndWhenItEnds() {
        String watch = auditId(admin.get().uri("/api/v1/namespaces/default/configmaps?watch=true&timeoutSeconds=1")
                .exchange().expectBody().returnResult(), 200);

        JsonNode complete = completed(watch);
        assertThat(complete.path("verb").asString("")).isEqualTo("watch");
        assertThat(complete.has("responseObject")).isFalse();
        await().untilAsserted(() -> assertThat(events(watch)).extracting(e -> e.path("stage").asString(""))
                .containsExactlyInAnyOrder("ResponseStarted", "ResponseComplete"));
    }

    @Test
    void thePolicyChoosesWhatIsRecorded() throws IOException {
        String secret = auditId(admin.post().uri("/api/v1/namespaces/default/secrets")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"audited\"},"
                        + "\"stringData\":{\"password\":\"never-in-the-log\"}}")
                .exchange().expectBody().returnResult(), 201);
        String account = auditId(admin.post().uri("/api/v1/namespaces/default/serviceaccounts")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"apiVersion\":\"v1\",\"kind\":\"ServiceAccount\",\"metadata\":{\"name\":\"audited\"}}")
                .exchange().expectBody().returnResult(), 201);
        String live = auditId(anonymous.get().uri("/livez").exchange().expectBody().returnResult(), 200);

        JsonNode secretEvent = completed(secret);
        assertThat(secretEvent.path("level").asString("")).isEqualTo("Metadata");
        assertThat(secretEvent.has("requestObject")).isFalse();
        JsonNode accountEvent = completed(account);
        assertThat(accountEvent.path("level").asString("")).isEqualTo("Request");
        assertThat(accountEvent.path("requestObject").path("metadata").path("name").asString("")).isEqualTo("audited");
        assertThat(accountEvent.has("responseObject")).isFalse();
        // written after /livez, so once it is in the log, /livez would be too
        assertThat(events(live)).isEmpty();
        assertThat(Files.readString(server.dataDir().resolve("audit.log"))).doesNotContain("never-in-the-log");
    }
}
