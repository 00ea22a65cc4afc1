package io.platform.api.admission;

import static org.assertj.core.api.Assertions.assertThat;

import io.platform.api.ApiServerTestSupport;
import io.platform.api.json.Json;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The admission chain on a real API server, over HTTPS, as kubectl meets it. */
class AdmissionApiTest extends ApiServerTestSupport {

    private String namespace(Map<String, String> labels) {
        String name = "adm-" + UUID.randomUUID().toString().substring(0, 8);
        post("/api/v1/namespaces", Map.of("apiVersion", "v1", "kind", "Namespace",
                "metadata", Map.of("name", name, "labels", labels)), 201);
        return name;
    }

    private static Map<String, Object> podWith(String name, Map<String, Object> container) {
        return Map.of("apiVersion", "v1", "kind", "Pod", "metadata", Map.of("name", name),
                "spec", Map.of("containers", List.of(container)));
    }

    private static Map<String, Object> plainPod(String name) {
        return podWith(name, Map.of("name", "main", "image", "busybox:1.35"));
    }

    @Test
    void aPodInATerminatingNamespaceIsRefused() {
        String ns = namespace(Map.of());
        post("/api/v1/namespaces/" + ns + "/configmaps", Map.of("metadata",
                Map.of("name", "held", "finalizers", List.of("example.com/hold"))), 201);
        delete("/api/v1/namespaces/" + ns, 200);
        ObjectNode refused = post("/api/v1/namespaces/" + ns + "/pods", plainPod("late"), 403);
        assertThat(refused.path("message").asString()).isEqualTo("pods \"late\" is forbidden: unable to create new "
                + "content in namespace " + ns + " because it is being terminated");
        assertThat(refused.path("details").path("causes").get(0).path("reason").asString()).isEqualTo("NamespaceTerminating");
        ObjectNode missing = post("/api/v1/namespaces/never-made/pods", plainPod("p"), 404);
        assertThat(missing.path("message").asString()).isEqualTo("namespaces \"never-made\" not found");
        delete("/api/v1/namespaces/default", 403);
        patch("/api/v1/namespaces/" + ns + "/configmaps/held", "application/merge-patch+json",
                "{\"metadata\":{\"finalizers\":null}}", 200);
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> get("/api/v1/namespaces/" + ns, 404));
    }

    @Test
    void podsGetTheirServiceAccountTokenVolumeLimitRangeDefaultsAndTolerations() {
        String ns = namespace(Map.of());
        post("/api/v1/namespaces/" + ns + "/limitranges", Map.of("metadata", Map.of("name", "defaults"),
                "spec", Map.of("limits", List.of(Map.of("type", "Container",
                        "default", Map.of("cpu", "250m", "memory", "64Mi"))))), 201);
        // the default ServiceAccount exists as soon as the namespace does
        Awaitility.await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> get("/api/v1/namespaces/" + ns + "/serviceaccounts/default", 200));
        ObjectNode created = post("/api/v1/namespaces/" + ns + "/pods", plainPod("web"), 201);

        JsonNode spec = created.path("spec");
        assertThat(spec.path("serviceAccountName").asString()).isEqualTo("default");
        JsonNode container = spec.path("containers").get(0);
        assertThat(container.path("resources").path("limits").path("cpu").asString()).isEqualTo("250m");
        assertThat(container.path("resources").path("requests").path("memory").asString()).isEqualTo("64Mi");
        String volume = spec.path("volumes").get(0).path("name").asString();
        assertThat(volume).startsWith("kube-api-access-");
        assertThat(spec.path("volumes").get(0).path("projected").path("sources").get(0).path("serviceAccountToken")
                .path("expirationSeconds").asLong()).isEqualTo(3607);
        assertThat(container.path("volumeMounts").get(0).path("mountPath").asString())
                .isEqualTo("/var/run/secrets/kubernetes.io/serviceaccount");
        assertThat(spec.path("tolerations").findValuesAsString("key"))
                .containsExactly("node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable");
        assertThat(spec.path("priority").asLong()).isZero();

        ObjectNode noAccount = post("/api/v1/namespaces/" + ns + "/pods",
                Map.of("apiVersion", "v1", "kind", "Pod", "metadata", Map.of("name", "robot"),
                        "spec", Map.of("serviceAccountName", "robot",
                                "containers", List.of(Map.of("name", "main", "image", "busybox:1.35")))), 403);
        assertThat(noAccount.path("message").asString()).isEqualTo("pods \"robot\" is forbidden: error looking up "
                + "service account " + ns + "/robot: serviceaccount \"robot\" not found");
    }

    @Test
    void aQuotaRefusesCreatesPastItsLimitWithTheUsage() {
        String ns = namespace(Map.of());
        ObjectNode quota = post("/api/v1/namespaces/" + ns + "/resourcequotas", Map.of("metadata", Map.of("name", "small"),
                "spec", Map.of("hard", Map.of("pods", "1"))), 201);
        assertThat(quota.path("status").path("used").path("pods").asString()).isEqualTo("0");
        // a dry run is checked but charges nothing
        exchange(client().post().uri("/api/v1/namespaces/" + ns + "/pods?dryRun=All")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(plainPod("dry")), 201);
        post("/api/v1/namespaces/" + ns + "/pods", plainPod("one"), 201);
        ObjectNode refused = post("/api/v1/namespaces/" + ns + "/pods", plainPod("two"), 403);
        assertThat(refused.path("reason").asString()).isEqualTo("Forbidden");
        assertThat(refused.path("message").asString()).isEqualTo("pods \"two\" is forbidden: exceeded quota: small, "
                + "requested: pods=1, used: pods=1, limited: pods=1");
        assertThat(get("/api/v1/namespaces/" + ns + "/resourcequotas/small", 200).path("status").path("used")
                .path("pods").asString()).isEqualTo("1");

        delete("/api/v1/namespaces/" + ns + "/pods/one", 200);
        assertThat(get("/api/v1/namespaces/" + ns + "/resourcequotas/small", 200).path("status").path("used")
                .path("pods").asString()).isEqualTo("0");
        post("/api/v1/namespaces/" + ns + "/pods", plainPod("two"), 201);
    }

    @Test
    void restrictedPodSecurityRefusesAPrivilegedPodWithTheReasons() {
        String ns = namespace(Map.of("pod-security.kubernetes.io/enforce", "restricted"));
        ObjectNode refused = post("/api/v1/namespaces/" + ns + "/pods", podWith("x", Map.of("name", "c", "image", "busybox:1.35",
                "securityContext", Map.of("privileged", true))), 403);
        assertThat(refused.path("message").asString()).isEqualTo("pods \"x\" is forbidden: violates PodSecurity "
                + "\"restricted:latest\": privileged (container \"c\" must not set securityContext.privileged=true), "
                + "allowPrivilegeEscalation != false (container \"c\" must set "
                + "securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container \"c\" must set "
                + "securityContext.capabilities.drop=[\"ALL\"]), runAsNonRoot != true (pod or container \"c\" must set "
                + "securityContext.runAsNonRoot=true), seccompProfile (pod or container \"c\" must set "
                + "securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\")");
    }

    @Test
    void aWarnLabelAdmitsWithAWarningHeader() {
        String ns = namespace(Map.of("pod-security.kubernetes.io/warn", "baseline"));
        EntityExchangeResult<byte[]> result = client().post().uri("/api/v1/namespaces/" + ns + "/pods")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(podWith("loud", Map.of("name", "c", "image", "busybox:1.35", "securityContext",
                        Map.of("privileged", true))))
                .exchange().expectStatus().isCreated().expectBody().returnResult();
        assertThat(result.getResponseHeaders().get("Warning")).containsExactly("299 - \"would violate PodSecurity "
                + "\\\"baseline:latest\\\": privileged (container \\\"c\\\" must not set securityContext.privileged=true)\"");
        assertThat(Json.parseObject(result.getResponseBody()).path("metadata").path("name").asString()).isEqualTo("loud");
    }
}
