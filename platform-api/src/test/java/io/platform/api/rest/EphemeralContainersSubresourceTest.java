package io.platform.api.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.platform.api.ApiServerTestSupport;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code pods/{name}/ephemeralcontainers} through the real server, as {@code kubectl debug} drives it. */
class EphemeralContainersSubresourceTest extends ApiServerTestSupport {

    private static final String STRATEGIC = "application/strategic-merge-patch+json";

    @Test
    void aStrategicMergePatchAddsAnEphemeralContainerAndNothingElse() {
        String pods = "/api/v1/namespaces/" + newNamespace() + "/pods";
        post(pods, pod("app", Map.of()), 201);

        ObjectNode patched = patch(pods + "/app/ephemeralcontainers", STRATEGIC, """
                {"metadata": {"labels": {"sneaky": "yes"}},
                 "spec": {"ephemeralContainers": [{"name": "debugger-1", "image": "busybox:1.35",
                   "targetContainerName": "main", "stdin": true, "tty": true, "command": ["sh"]}]}}""", 200);

        assertThat(patched.path("kind").asString()).isEqualTo("Pod");
        JsonNode ephemeral = patched.path("spec").path("ephemeralContainers");
        assertThat(ephemeral).hasSize(1);
        assertThat(ephemeral.get(0).path("targetContainerName").asString()).isEqualTo("main");
        assertThat(patched.path("metadata").path("labels").has("sneaky")).isFalse();
        assertThat(get(pods + "/app/ephemeralcontainers", 200).path("spec").path("ephemeralContainers")).hasSize(1);

        // a second debug session adds a second entry; the first stays as it was
        patch(pods + "/app/ephemeralcontainers", STRATEGIC, """
                {"spec": {"ephemeralContainers": [{"name": "debugger-2", "image": "busybox:1.35"}]}}""", 200);
        assertThat(get(pods + "/app", 200).path("spec").path("ephemeralContainers"))
                .extracting(node -> node.path("name").asString()).containsExactlyInAnyOrder("debugger-1", "debugger-2");
    }

    @Test
    void existingEntriesMayNotBeRemovedOrChanged() {
        String pods = "/api/v1/namespaces/" + newNamespace() + "/pods";
        post(pods, pod("app", Map.of()), 201);
        patch(pods + "/app/ephemeralcontainers", STRATEGIC,
                "{\"spec\": {\"ephemeralContainers\": [{\"name\": \"dbg\", \"image\": \"busybox:1.35\"}]}}", 200);
        ObjectNode current = get(pods + "/app/ephemeralcontainers", 200);

        ObjectNode removed = current.deepCopy();
        ((ObjectNode) removed.path("spec")).putArray("ephemeralContainers");
        ObjectNode refusedRemoval = put(pods + "/app/ephemeralcontainers", removed, 422);

        ObjectNode changed = current.deepCopy();
        ((ObjectNode) changed.path("spec").path("ephemeralContainers").get(0)).put("image", "busybox:1.36");
        ObjectNode refusedChange = put(pods + "/app/ephemeralcontainers", changed, 422);

        assertThat(refusedRemoval.path("message").asString()).isEqualTo(
                "Pod \"app\" is invalid: spec.ephemeralContainers: Forbidden: existing ephemeral containers \"dbg\" may not be removed\n");
        assertThat(refusedChange.path("message").asString()).startsWith(
                "Pod \"app\" is invalid: spec.ephemeralContainers: Forbidden: existing ephemeral containers \"dbg\" may not be changed");
        assertThat(refusedChange.path("reason").asString()).isEqualTo("Invalid");
    }

    @Test
    void newEntriesAreValidatedInUpstreamWords() {
        String pods = "/api/v1/namespaces/" + newNamespace() + "/pods";
        post(pods, pod("app", Map.of()), 201);

        ObjectNode refused = patch(pods + "/app/ephemeralcontainers", STRATEGIC, """
                {"spec": {"ephemeralContainers": [
                  {"name": "main", "image": "busybox:1.35"},
                  {"name": "probe", "image": "busybox:1.35", "targetContainerName": "nope",
                   "ports": [{"containerPort": 80}], "readinessProbe": {"exec": {"command": ["true"]}}},
                  {"name": "noimage"}]}}""", 422);

        ArrayNode causes = (ArrayNode) refused.path("details").path("causes");
        assertThat(causes).extracting(c -> c.path("field").asString() + ": " + c.path("message").asString())
                .containsExactlyInAnyOrder(
                        "spec.ephemeralContainers[0].name: Duplicate value: \"main\"",
                        "spec.ephemeralContainers[1].targetContainerName: Not found: \"nope\"",
                        "spec.ephemeralContainers[1].ports: Forbidden: cannot be set for an Ephemeral Container",
                        "spec.ephemeralContainers[1].readinessProbe: Forbidden: cannot be set for an Ephemeral Container",
                        "spec.ephemeralContainers[2].image: Required value");
        assertThat(get(pods + "/app", 200).path("spec").has("ephemeralContainers")).isFalse();
    }

    @Test
    void onlyGetPutAndPatchAreServed() {
        String pods = "/api/v1/namespaces/" + newNamespace() + "/pods";
        post(pods, pod("app", Map.of()), 201);
        post(pods + "/app/ephemeralcontainers", Map.of("apiVersion", "v1", "kind", "Pod"), 405);
        patch(pods + "/missing/ephemeralcontainers", STRATEGIC,
                "{\"spec\": {\"ephemeralContainers\": [{\"name\": \"dbg\", \"image\": \"busybox:1.35\"}]}}", 404);
        assertThat(List.of(get(pods + "/app/ephemeralcontainers", 200).path("metadata").path("name").asString())).containsExactly("app");
    }
}
