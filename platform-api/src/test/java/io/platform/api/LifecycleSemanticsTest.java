package io.platform.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.platform.api.pki.CertificateAuthority;
import io.platform.common.pki.CertificateRequest;
import io.platform.common.pki.KeyPairs;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Object lifecycle semantics through the real server: deletion propagation finalizers, eviction under
 * PodDisruptionBudgets, and the requester identity of CertificateSigningRequests.
 */
class LifecycleSemanticsTest extends ApiServerTestSupport {

    @Test
    void propagationPoliciesBecomeGarbageCollectorFinalizers() {
        String ns = newNamespace();
        String configMaps = "/api/v1/namespaces/" + ns + "/configmaps";
        for (String name : List.of("fg", "orphan", "legacy", "bg")) {
            post(configMaps, configMap(name, Map.of(), Map.of()), 201);
        }

        ObjectNode foreground = deleteWith(configMaps + "/fg", "{\"propagationPolicy\":\"Foreground\"}", 200);
        assertThat(foreground.path("metadata").path("deletionTimestamp").asString()).isNotEmpty();
        assertThat(finalizers(get(configMaps + "/fg", 200))).containsExactly("foregroundDeletion");

        deleteWith(configMaps + "/orphan", "{\"propagationPolicy\":\"Orphan\"}", 200);
        assertThat(finalizers(get(configMaps + "/orphan", 200))).containsExactly("orphan");
        deleteWith(configMaps + "/legacy", "{\"orphanDependents\":true}", 200);
        assertThat(finalizers(get(configMaps + "/legacy", 200))).containsExactly("orphan");

        // a later delete with another policy swaps the finalizer, as upstream
        deleteWith(configMaps + "/fg", "{\"propagationPolicy\":\"Orphan\"}", 200);
        assertThat(finalizers(get(configMaps + "/fg", 200))).containsExactly("orphan");

        ObjectNode background = deleteWith(configMaps + "/bg", "{\"propagationPolicy\":\"Background\"}", 200);
        assertThat(background.path("kind").asString()).isEqualTo("Status");
        get(configMaps + "/bg", 404);

        // removing the last finalizer (as the garbage collector does) removes the object
        patch(configMaps + "/orphan", "application/merge-patch+json", "{\"metadata\":{\"finalizers\":null}}", 200);
        get(configMaps + "/orphan", 404);
    }

    @Test
    void jobsAndReplicationControllersOrphanByDefaultAndOthersDoNot() {
        String ns = newNamespace();
        Map<String, Object> template = Map.of("metadata", Map.of("labels", Map.of("app", "j")),
                "spec", Map.of("restartPolicy", "Never", "containers", List.of(Map.of("name", "main", "image", "busybox:1.35"))));
        String jobs = "/apis/batch/v1/namespaces/" + ns + "/jobs";
        post(jobs, Map.of("apiVersion", "batch/v1", "kind", "Job", "metadata", Map.of("name", "j"),
                "spec", Map.of("template", template)), 201);
        delete(jobs + "/j", 200);
        assertThat(finalizers(get(jobs + "/j", 200))).containsExactly("orphan");

        String controllers = "/api/v1/namespaces/" + ns + "/replicationcontrollers";
        post(controllers, Map.of("apiVersion", "v1", "kind", "ReplicationController", "metadata", Map.of("name", "rc"),
                "spec", Map.of("replicas", 1, "selector", Map.of("app", "j"), "template", Map.of(
                        "metadata", Map.of("labels", Map.of("app", "j")),
                        "spec", Map.of("containers", List.of(Map.of("name", "main", "image", "busybox:1.35")))))), 201);
        delete(controllers + "/rc", 200);
        assertThat(finalizers(get(controllers + "/rc", 200))).containsExactly("orphan");

        String deployments = "/apis/apps/v1/namespaces/" + ns + "/deployments";
        ObjectNode created = post(deployments, deployment("d", 1), 201);
        ObjectNode marked = deleteWith(deployments + "/d", "{\"propagationPolicy\":\"Foreground\"}", 200);
        assertThat(marked.path("metadata").path("generation").asLong())
                .isEqualTo(created.path("metadata").path("generation").asLong() + 1);
        patch(deployments + "/d", "application/merge-patch+json", "{\"metadata\":{\"finalizers\":[]}}", 200);
        get(deployments + "/d", 404);
        post(deployments, deployment("plain", 1), 201);
        delete(deployments + "/plain", 200);
        get(deployments + "/plain", 404);
    }

    @Test
    void badDeleteOptionsAreInvalidAndBodyDryRunDeletesNothing() {
        String ns = newNamespace();
        String configMaps = "/api/v1/namespaces/" + ns + "/configmaps";
        post(configMaps, configMap("keep", Map.of(), Map.of()), 201);

        ObjectNode both = deleteWith(configMaps + "/keep", "{\"orphanDependents\":false,\"propagationPolicy\":\"Orphan\"}", 422);
        assertThat(both.path("reason").asString()).isEqualTo("Invalid");
        assertThat(both.path("message").asString()).contains("orphanDependents and deletionPropagation cannot be both set");
        ObjectNode unknown = deleteWith(configMaps + "/keep", "{\"propagationPolicy\":\"Sometimes\"}", 422);
        assertThat(unknown.path("details").path("causes").path(0).path("field").asString()).isEqualTo("propagationPolicy");
        assertThat(delete(configMaps + "/keep?propagationPolicy=Sometimes", 422).path("message").asString())
                .contains("Unsupported value: \"Sometimes\"");

        deleteWith(configMaps + "/keep", "{\"dryRun\":[\"All\"],\"propagationPolicy\":\"Foreground\"}", 200);
        assertThat(get(configMaps + "/keep", 200).path("metadata").has("deletionTimestamp")).isFalse();
    }

    @Test
    void evictionSpendsTheDisruptionBudgetAndRefusesWhenItIsSpent() {
        String ns = newNamespace();
        String pods = "/api/v1/namespaces/" + ns + "/pods";
        String budgets = "/apis/policy/v1/namespaces/" + ns + "/poddisruptionbudgets";
        for (String name : List.of("web-1", "web-2", "pending")) {
            post(pods, pod(name, Map.of("app", "web")), 201);
        }
        markRunning(pods, "web-1", true);
        markRunning(pods, "web-2", true);
        post(budgets, Map.of("apiVersion", "policy/v1", "kind", "PodDisruptionBudget", "metadata", Map.of("name", "web"),
                "spec", Map.of("minAvailable", 1, "selector", Map.of("matchLabels", Map.of("app", "web")))), 201);
        setBudgetStatus(budgets, "web", 1, 2, 1);

        post(pods + "/web-1/eviction", eviction(ns, "web-1"), 201);
        ObjectNode evicted = get(pods + "/web-1", 404);
        assertThat(evicted.path("reason").asString()).isEqualTo("NotFound");
        JsonNode spent = get(budgets + "/web", 200).path("status");
        assertThat(spent.path("disruptionsAllowed").asInt()).isZero();
        assertThat(spent.path("disruptedPods").path("web-1").asString()).endsWith("Z");
        assertThat(spent.path("conditions").path(0).path("type").asString()).isEqualTo("DisruptionAllowed");
        assertThat(spent.path("conditions").path(0).path("status").asString()).isEqualTo("False");

        ObjectNode refused = post(pods + "/web-2/eviction", eviction(ns, "web-2"), 429);
        assertThat(refused.path("reason").asString()).isEqualTo("TooManyRequests");
        assertThat(refused.path("message").asString()).isEqualTo("Cannot evict pod as it would violate the pod's disruption budget.");
        assertThat(refused.path("details").path("causes").path(0).path("reason").asString()).isEqualTo("DisruptionBudget");
        assertThat(get(pods + "/web-2", 200).path("metadata").has("deletionTimestamp")).isFalse();

        // a pending pod causes no disruption: evicted without spending budget
        post(pods + "/pending/eviction", eviction(ns, "pending"), 201);
        get(pods + "/pending", 404);

        // an unready running pod goes when the budget says AlwaysAllow
        post(pods, pod("unready", Map.of("app", "web")), 201);
        markRunning(pods, "unready", false);
        ObjectNode refusedUnready = post(pods + "/unready/eviction", eviction(ns, "unready"), 429);
        assertThat(refusedUnready.path("details").path("causes").path(0).path("message").asString()).contains("needs 2 healthy pods");
        patch(budgets + "/web", "application/merge-patch+json", "{\"spec\":{\"unhealthyPodEvictionPolicy\":\"AlwaysAllow\"}}", 200);
        post(pods + "/unready/eviction", eviction(ns, "unready"), 201);
        get(pods + "/unready", 404);
    }

    @Test
    void evictionRefusesStaleBudgetsAndPodsUnderTwoBudgets() {
        String ns = newNamespace();
        String pods = "/api/v1/namespaces/" + ns + "/pods";
        String budgets = "/apis/policy/v1/namespaces/" + ns + "/poddisruptionbudgets";
        post(pods, pod("db", Map.of("app", "db", "tier", "data")), 201);
        markRunning(pods, "db", true);
        post(budgets, Map.of("apiVersion", "policy/v1", "kind", "PodDisruptionBudget", "metadata", Map.of("name", "db"),
                "spec", Map.of("maxUnavailable", 1, "selector", Map.of("matchLabels", Map.of("app", "db")))), 201);

        // never observed by a disruption controller: the budget is still being processed
        ObjectNode stale = post(pods + "/db/eviction", eviction(ns, "db"), 429);
        assertThat(stale.path("details").path("causes").path(0).path("message").asString()).contains("still being processed");

        setBudgetStatus(budgets, "db", 1, 1, 0);
        post(budgets, Map.of("apiVersion", "policy/v1", "kind", "PodDisruptionBudget", "metadata", Map.of("name", "data"),
                "spec", Map.of("maxUnavailable", 1, "selector", Map.of("matchLabels", Map.of("tier", "data")))), 201);
        ObjectNode two = post(pods + "/db/eviction", eviction(ns, "db"), 500);
        assertThat(two.path("message").asString()).isEqualTo(
                "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.");
        assertThat(get(pods + "/db", 200).path("metadata").has("deletionTimestamp")).isFalse();
        assertThat(get(budgets + "/db", 200).path("status").path("disruptionsAllowed").asInt()).isEqualTo(1);
    }

    @Test
    void certificateSigningRequestsRecordTheirRequester() {
        String base = "/apis/certificates.k8s.io/v1/certificatesigningrequests";
        // RBAC: alice may create CSRs, as upstream's selfnodeclient-style roles grant
        post("/apis/rbac.authorization.k8s.io/v1/clusterroles", Map.of("apiVersion", "rbac.authorization.k8s.io/v1",
                "kind", "ClusterRole", "metadata", Map.of("name", "csr-creator"), "rules", List.of(Map.of(
                        "verbs", List.of("create"), "apiGroups", List.of("certificates.k8s.io"),
                        "resources", List.of("certificatesigningrequests")))), 201);
        post("/apis/rbac.authorization.k8s.io/v1/clusterrolebindings", Map.of("apiVersion",
                "rbac.authorization.k8s.io/v1", "kind", "ClusterRoleBinding", "metadata", Map.of("name", "alice-csr"),
                "roleRef", Map.of("apiGroup", "rbac.authorization.k8s.io", "kind", "ClusterRole", "name", "csr-creator"),
                "subjects", List.of(Map.of("kind", "User", "name", "alice"))), 201);
        WebTestClient alice = client(CertificateAuthority.loadOrCreate(DATA_DIR.resolve("pki")).issueClient("alice", List.of("dev")));
        String request = Base64.getEncoder().encodeToString(CertificateRequest.createPem(KeyPairs.ecP256(), "alice",
                List.of("dev"), List.of(), List.of()).getBytes(StandardCharsets.US_ASCII));
        Map<String, Object> csr = Map.of("apiVersion", "certificates.k8s.io/v1", "kind", "CertificateSigningRequest",
                "metadata", Map.of("name", "alice-csr"),
                "spec", Map.of("request", request, "signerName", "kubernetes.io/kube-apiserver-client",
                        "usages", List.of("client auth"), "username", "admin", "groups", List.of("system:masters"),
                        "uid", "forged", "extra", Map.of("scopes", List.of("all"))));
        // the binding reaches the authorizer through the store's watch
        AtomicReference<ObjectNode> answer = new AtomicReference<>();
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> answer.set(exchange(alice.post().uri(base)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(csr), 201)));
        ObjectNode created = answer.get();
        JsonNode spec = created.path("spec");
        assertThat(spec.path("username").asString()).isEqualTo("alice");
        assertThat(spec.path("groups").valueStream().map(JsonNode::asString)).containsExactly("dev", "system:authenticated");
        assertThat(spec.has("uid")).isFalse();
        assertThat(spec.has("extra")).isFalse();

        // the spec never changes afterwards, whoever writes
        ObjectNode changed = created.deepCopy();
        ((ObjectNode) changed.path("spec")).put("username", "mallory");
        assertThat(put(base + "/alice-csr", changed, 200).path("spec").path("username").asString()).isEqualTo("alice");
        delete(base + "/alice-csr", 200);
    }

    private ObjectNode deleteWith(String path, String body, int expectedStatus) {
        return exchange(client().method(HttpMethod.DELETE).uri(path).contentType(MediaType.APPLICATION_JSON).bodyValue(body),
                expectedStatus);
    }

    private static List<String> finalizers(JsonNode object) {
        return object.path("metadata").path("finalizers").valueStream().map(JsonNode::asString).toList();
    }

    private void markRunning(String pods, String name, boolean ready) {
        ObjectNode pod = get(pods + "/" + name, 200);
        ObjectNode status = pod.putObject("status");
        status.put("phase", "Running");
        status.putArray("conditions").addObject().put("type", "Ready").put("status", ready ? "True" : "False");
        put(pods + "/" + name + "/status", pod, 200);
    }

    /** Plays the disruption controller, which this server does not run. */
    private void setBudgetStatus(String budgets, String name, int allowed, int desired, int current) {
        ObjectNode budget = get(budgets + "/" + name, 200);
        ObjectNode status = budget.putObject("status");
        status.put("observedGeneration", budget.path("metadata").path("generation").asLong());
        status.put("disruptionsAllowed", allowed).put("desiredHealthy", desired).put("currentHealthy", current)
                .put("expectedPods", desired);
        put(budgets + "/" + name + "/status", budget, 200);
    }

    private static Map<String, Object> eviction(String ns, String name) {
        return Map.of("apiVersion", "policy/v1", "kind", "Eviction", "metadata", Map.of("name", name, "namespace", ns));
    }
}
