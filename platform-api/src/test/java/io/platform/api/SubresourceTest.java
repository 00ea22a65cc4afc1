package io.platform.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.platform.api.json.Json;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class SubresourceTest extends ApiServerTestSupport {

    @Test
    void scaleThroughMergePatchAsKubectlScale() {
        String ns = newNamespace();
        String base = "/apis/apps/v1/namespaces/" + ns + "/deployments";
        post(base, deployment("web", 1), 201);
        ObjectNode scale = get(base + "/web/scale", 200);
        assertThat(scale.path("kind").asString()).isEqualTo("Scale");
        assertThat(scale.path("apiVersion").asString()).isEqualTo("autoscaling/v1");
        assertThat(scale.path("spec").path("replicas").asInt()).isEqualTo(1);
        assertThat(scale.path("status").path("selector").asString()).isEqualTo("app=web");

        ObjectNode patched = patch(base + "/web/scale", "application/merge-patch+json", "{\"spec\":{\"replicas\":3}}", 200);
        assertThat(patched.path("spec").path("replicas").asInt()).isEqualTo(3);
        ObjectNode deployment = get(base + "/web", 200);
        assertThat(deployment.path("spec").path("replicas").asInt()).isEqualTo(3);
        assertThat(deployment.path("metadata").path("generation").asLong()).isEqualTo(2);

        ObjectNode put = scale.deepCopy();
        ((ObjectNode) put.path("spec")).put("replicas", 5);
        ObjectNode stale = put(base + "/web/scale", put, 409);
        assertThat(stale.path("reason").asString()).isEqualTo("Conflict");
        ((ObjectNode) put.path("metadata")).remove("resourceVersion");
        assertThat(put(base + "/web/scale", put, 200).path("spec").path("replicas").asInt()).isEqualTo(5);
    }

    @Test
    void mergePatchOfLabelsAndApplyPatchNeedsAFieldManager() {
        String ns = newNamespace();
        String base = "/api/v1/namespaces/" + ns + "/configmaps";
        post(base, configMap("c", Map.of("a", "1"), Map.of()), 201);
        ObjectNode patched = patch(base + "/c", "application/merge-patch+json",
                "{\"metadata\":{\"labels\":{\"a\":null,\"b\":\"2\"}}}", 200);
        assertThat(Json.stringMap(patched.path("metadata").path("labels"))).isEqualTo(Map.of("b", "2"));
        ObjectNode apply = patch(base + "/c", "application/apply-patch+yaml", "{}", 400);
        assertThat(apply.path("message").asString()).contains("fieldManager: Required value");
    }

    @Test
    void bindingAssignsTheNodeOnce() {
        String ns = newNamespace();
        String pods = "/api/v1/namespaces/" + ns + "/pods";
        ObjectNode created = post(pods, pod("p", Map.of()), 201);
        assertThat(created.path("status").path("phase").asString()).isEqualTo("Pending");
        assertThat(created.path("status").path("qosClass").asString()).isEqualTo("BestEffort");
        assertThat(created.path("spec").path("schedulerName").asString()).isEqualTo("default-scheduler");
        Map<String, Object> binding = Map.of("apiVersion", "v1", "kind", "Binding", "metadata", Map.of("name", "p"),
                "target", Map.of("apiVersion", "v1", "kind", "Node", "name", "node-1"));
        ObjectNode status = post(pods + "/p/binding", binding, 201);
        assertThat(status.path("status").asString()).isEqualTo("Success");
        ObjectNode pod = get(pods + "/p", 200);
        assertThat(pod.path("spec").path("nodeName").asString()).isEqualTo("node-1");
        assertThat(pod.path("status").path("conditions").path(0).path("type").asString()).isEqualTo("PodScheduled");
        ObjectNode moved = pod.deepCopy();
        ((ObjectNode) moved.path("spec")).put("restartPolicy", "Never");
        ObjectNode immutable = put(pods + "/p", moved, 422);
        assertThat(immutable.path("message").asString()).contains("pod updates may not change fields other than");
        ObjectNode again = post("/api/v1/namespaces/" + ns + "/bindings", binding, 409);
        assertThat(again.path("message").asString()).contains("is already assigned to node \"node-1\"");
    }

    @Test
    void statusSubresourceChangesOnlyStatusAndMainResourceKeepsStatus() {
        String ns = newNamespace();
        String base = "/apis/apps/v1/namespaces/" + ns + "/deployments";
        ObjectNode created = post(base, deployment("web", 1), 201);
        ObjectNode withStatus = created.deepCopy();
        withStatus.putObject("status").put("replicas", 1).put("observedGeneration", 1);
        ((ObjectNode) withStatus.path("spec")).put("replicas", 7);
        ObjectNode afterStatus = put(base + "/web/status", withStatus, 200);
        assertThat(afterStatus.path("status").path("replicas").asInt()).isEqualTo(1);
        assertThat(afterStatus.path("spec").path("replicas").asInt()).isEqualTo(1);

        ObjectNode mainWrite = afterStatus.deepCopy();
        ((ObjectNode) mainWrite.path("status")).put("replicas", 9);
        ObjectNode afterMain = put(base + "/web", mainWrite, 200);
        assertThat(afterMain.path("status").path("replicas").asInt()).isEqualTo(1);

        ObjectNode statusPatch = patch(base + "/web/status", "application/merge-patch+json",
                "{\"status\":{\"readyReplicas\":1},\"spec\":{\"replicas\":4}}", 200);
        assertThat(statusPatch.path("status").path("readyReplicas").asInt()).isEqualTo(1);
        assertThat(statusPatch.path("spec").path("replicas").asInt()).isEqualTo(1);
    }

    @Test
    void boundPodsAreDeletedGracefullyThenForGood() {
        String ns = newNamespace();
        String pods = "/api/v1/namespaces/" + ns + "/pods";
        post(pods, pod("p", Map.of()), 201);
        post(pods + "/p/binding", Map.of("apiVersion", "v1", "kind", "Binding", "metadata", Map.of("name", "p"),
                "target", Map.of("kind", "Node", "name", "node-1")), 201);
        ObjectNode marked = exchange(client().method(org.springframework.http.HttpMethod.DELETE).uri(pods + "/p")
                .contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                .bodyValue("{\"propagationPolicy\":\"Background\"}"), 200);
        assertThat(marked.path("kind").asString()).isEqualTo("Pod");
        assertThat(marked.path("metadata").path("deletionTimestamp").asString()).isNotEmpty();
        assertThat(marked.path("metadata").path("deletionGracePeriodSeconds").asLong()).isEqualTo(30);
        String rv = marked.path("metadata").path("resourceVersion").asString();
        assertThat(get(pods + "/p", 200).path("metadata").has("deletionTimestamp")).isTrue();

        var events = client().get().uri(pods + "?watch=true&timeoutSeconds=5&resourceVersion=" + rv).exchange()
                .returnResult(String.class).getResponseBody().filter(l -> !l.isBlank())
                .map(l -> (JsonNode) Json.parseObject(l.getBytes()));
        ObjectNode removed = delete(pods + "/p?gracePeriodSeconds=0", 200);
        assertThat(removed.path("metadata").path("name").asString()).isEqualTo("p");
        JsonNode deleted = events.blockFirst(Duration.ofSeconds(10));
        assertThat(deleted.path("type").asString()).isEqualTo("DELETED");
        get(pods + "/p", 404);

        post(pods, pod("unbound", Map.of()), 201);
        delete(pods + "/unbound", 200);
        get(pods + "/unbound", 404);
    }

    @Test
    void finalizersHoldDeletionUntilRemoved() {
        String ns = newNamespace();
        String base = "/api/v1/namespaces/" + ns + "/configmaps";
        post(base, Map.of("metadata", Map.of("name", "held", "finalizers", List.of("example.com/hold"))), 201);
        ObjectNode marked = delete(base + "/held", 200);
        assertThat(marked.path("metadata").path("deletionTimestamp").asString()).isNotEmpty();
        ObjectNode stillThere = get(base + "/held", 200);
        ((ObjectNode) stillThere.path("metadata")).remove("finalizers");
        put(base + "/held", stillThere, 200);
        get(base + "/held", 404);
    }

    @Test
    void namespaceCreationInTerminatingNamespaceIsForbidden() {
        String ns = newNamespace();
        patch("/api/v1/namespaces/" + ns, "application/merge-patch+json",
                "{\"metadata\":{\"finalizers\":[\"example.com/hold\"]}}", 200);
        delete("/api/v1/namespaces/" + ns, 200);
        ObjectNode forbidden = post("/api/v1/namespaces/" + ns + "/configmaps", configMap("c", Map.of(), Map.of()), 403);
        assertThat(forbidden.path("message").asString()).contains("because it is being terminated");
        patch("/api/v1/namespaces/" + ns, "application/merge-patch+json", "{\"metadata\":{\"finalizers\":null}}", 200);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> get("/api/v1/namespaces/" + ns, 404));
    }

    @Test
    void deletingANamespaceDeletesItsContentFirst() {
        String ns = newNamespace();
        post("/api/v1/namespaces/" + ns + "/configmaps", configMap("c", Map.of(), Map.of()), 201);
        post("/apis/apps/v1/namespaces/" + ns + "/deployments", deployment("web", 1), 201);
        ObjectNode terminating = delete("/api/v1/namespaces/" + ns, 200);
        assertThat(terminating.path("status").path("phase").asString()).isEqualTo("Terminating");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> get("/api/v1/namespaces/" + ns, 404));
        newNamespaceNamed(ns);
        assertThat(get("/api/v1/namespaces/" + ns + "/configmaps", 200).path("items").isEmpty()).isTrue();
        assertThat(get("/apis/apps/v1/namespaces/" + ns + "/deployments", 200).path("items").isEmpty()).isTrue();
    }

    private void newNamespaceNamed(String name) {
        post("/api/v1/namespaces", Map.of("metadata", Map.of("name", name)), 201);
    }

    @Test
    void podLogsNeedABoundPodAndAContainerChoice() {
        String ns = newNamespace();
        String pods = "/api/v1/namespaces/" + ns + "/pods";
        post(pods, Map.of("metadata", Map.of("name", "two"), "spec", Map.of("containers", List.of(
                Map.of("name", "a", "image", "busybox:1.35"), Map.of("name", "b", "image", "busybox:1.35")))), 201);
        ObjectNode choose = get(pods + "/two/log", 400);
        assertThat(choose.path("message").asString())
                .isEqualTo("a container name must be specified for pod two, choose one of: [a b]");
        ObjectNode unbound = get(pods + "/two/log?container=a", 400);
        assertThat(unbound.path("message").asString()).contains("does not have a host assigned");
    }
}
