package io.platform.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class ResourceCrudTest extends ApiServerTestSupport {

    @Test
    void createGetUpdateDeleteRoundTrip() {
        String ns = newNamespace();
        String base = "/api/v1/namespaces/" + ns + "/configmaps";
        ObjectNode created = post(base, configMap("settings", Map.of("app", "a"), Map.of("k", "v")), 201);
        JsonNode meta = created.path("metadata");
        assertThat(meta.path("uid").asString()).hasSize(36);
        assertThat(meta.path("creationTimestamp").asString()).endsWith("Z");
        assertThat(meta.path("namespace").asString()).isEqualTo(ns);
        long createdRv = Long.parseLong(meta.path("resourceVersion").asString());

        ObjectNode fetched = get(base + "/settings", 200);
        assertThat(fetched).isEqualTo(created);

        ObjectNode changed = fetched.deepCopy();
        ((ObjectNode) changed.path("data")).put("k", "w");
        ObjectNode updated = put(base + "/settings", changed, 200);
        assertThat(updated.path("data").path("k").asString()).isEqualTo("w");
        assertThat(updated.path("metadata").path("uid")).isEqualTo(meta.path("uid"));
        assertThat(Long.parseLong(updated.path("metadata").path("resourceVersion").asString())).isGreaterThan(createdRv);

        ObjectNode stale = put(base + "/settings", changed, 409);
        assertThat(stale.path("reason").asString()).isEqualTo("Conflict");
        assertThat(stale.path("message").asString()).isEqualTo("Operation cannot be fulfilled on configmaps \"settings\": "
                + "the object has been modified; please apply your changes to the latest version and try again");

        ObjectNode status = delete(base + "/settings", 200);
        assertThat(status.path("kind").asString()).isEqualTo("Status");
        assertThat(status.path("status").asString()).isEqualTo("Success");
        assertThat(status.path("details").path("uid")).isEqualTo(meta.path("uid"));
        ObjectNode missing = get(base + "/settings", 404);
        assertThat(missing.path("reason").asString()).isEqualTo("NotFound");
        assertThat(missing.path("message").asString()).isEqualTo("configmaps \"settings\" not found");
    }

    @Test
    void unconditionalUpdateWithoutResourceVersionSucceeds() {
        String ns = newNamespace();
        String base = "/api/v1/namespaces/" + ns + "/configmaps";
        post(base, configMap("c", Map.of(), Map.of("k", "v")), 201);
        ObjectNode updated = put(base + "/c", configMap("c", Map.of(), Map.of("k", "x")), 200);
        assertThat(updated.path("data").path("k").asString()).isEqualTo("x");
    }

    @Test
    void alreadyExistsAndGenerateName() {
        String ns = newNamespace();
        String base = "/apis/apps/v1/namespaces/" + ns + "/deployments";
        post(base, deployment("web", 1), 201);
        ObjectNode conflict = post(base, deployment("web", 1), 409);
        assertThat(conflict.path("reason").asString()).isEqualTo("AlreadyExists");
        assertThat(conflict.path("message").asString()).isEqualTo("deployments.apps \"web\" already exists");

        ObjectNode generated = post("/api/v1/namespaces/" + ns + "/configmaps",
                Map.of("metadata", Map.of("generateName", "gen-"), "data", Map.of()), 201);
        assertThat(generated.path("metadata").path("name").asString()).matches("gen-[a-z0-9]{5}");
    }

    @Test
    void deploymentDefaultsAndGenerationBumpsOnlyOnSpecChange() {
        String ns = newNamespace();
        String base = "/apis/apps/v1/namespaces/" + ns + "/deployments";
        ObjectNode created = post(base, deployment("web", 2), 201);
        assertThat(created.path("metadata").path("generation").asLong()).isEqualTo(1);
        JsonNode spec = created.path("spec");
        assertThat(spec.path("strategy").path("rollingUpdate").path("maxSurge").asString()).isEqualTo("25%");
        assertThat(spec.path("revisionHistoryLimit").asInt()).isEqualTo(10);
        assertThat(spec.path("progressDeadlineSeconds").asInt()).isEqualTo(600);
        JsonNode container = spec.path("template").path("spec").path("containers").path(0);
        assertThat(container.path("imagePullPolicy").asString()).isEqualTo("IfNotPresent");
        assertThat(spec.path("template").path("spec").path("restartPolicy").asString()).isEqualTo("Always");

        ObjectNode labelled = created.deepCopy();
        ((ObjectNode) labelled.path("metadata")).putObject("labels").put("tier", "front");
        ObjectNode afterLabel = put(base + "/web", labelled, 200);
        assertThat(afterLabel.path("metadata").path("generation").asLong()).isEqualTo(1);

        ObjectNode scaled = afterLabel.deepCopy();
        ((ObjectNode) scaled.path("spec")).put("replicas", 3);
        ObjectNode afterScale = put(base + "/web", scaled, 200);
        assertThat(afterScale.path("metadata").path("generation").asLong()).isEqualTo(2);
    }

    @Test
    void invalidObjectsAreRejectedWithCauses() {
        String ns = newNamespace();
        ObjectNode badName = post("/api/v1/namespaces/" + ns + "/configmaps", configMap("Bad_Name", Map.of(), Map.of()), 422);
        assertThat(badName.path("reason").asString()).isEqualTo("Invalid");
        assertThat(badName.path("details").path("causes").path(0).path("field").asString()).isEqualTo("metadata.name");
        assertThat(badName.path("details").path("causes").path(0).path("reason").asString()).isEqualTo("FieldValueInvalid");
        assertThat(badName.path("message").asString()).startsWith("ConfigMap \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain");

        Map<String, Object> mismatched = Map.of("apiVersion", "apps/v1", "kind", "Deployment", "metadata", Map.of("name", "web"),
                "spec", Map.of("selector", Map.of("matchLabels", Map.of("app", "x")),
                        "template", Map.of("metadata", Map.of("labels", Map.of("app", "y")),
                                "spec", Map.of("containers", List.of(Map.of("name", "c", "image", "busybox:1.35"))))));
        ObjectNode selector = post("/apis/apps/v1/namespaces/" + ns + "/deployments", mismatched, 422);
        assertThat(selector.path("details").path("causes").path(0).path("field").asString()).isEqualTo("spec.template.metadata.labels");
        assertThat(selector.path("message").asString()).contains("`selector` does not match template `labels`");

        ObjectNode noContainers = post("/api/v1/namespaces/" + ns + "/pods",
                Map.of("metadata", Map.of("name", "p"), "spec", Map.of()), 422);
        assertThat(noContainers.path("details").path("causes").path(0).path("reason").asString()).isEqualTo("FieldValueRequired");
        assertThat(noContainers.path("details").path("causes").path(0).path("field").asString()).isEqualTo("spec.containers");
        get("/api/v1/namespaces/" + ns + "/pods/p", 404);
    }

    @Test
    void malformedBodiesAndWrongKindsAreBadRequests() {
        String ns = newNamespace();
        ObjectNode malformed = exchange(client().post().uri("/api/v1/namespaces/" + ns + "/configmaps")
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"metadata\": {"), 400);
        assertThat(malformed.path("reason").asString()).isEqualTo("BadRequest");

        ObjectNode wrongKind = post("/api/v1/namespaces/" + ns + "/configmaps",
                Map.of("apiVersion", "apps/v1", "kind", "Deployment", "metadata", Map.of("name", "x")), 400);
        assertThat(wrongKind.path("message").asString()).contains("does not match the expected API version (v1)");

        ObjectNode unsupported = exchange(client().post().uri("/api/v1/namespaces/" + ns + "/configmaps")
                .contentType(MediaType.TEXT_PLAIN).bodyValue("hello"), 415);
        assertThat(unsupported.path("reason").asString()).isEqualTo("UnsupportedMediaType");
    }

    @Test
    void yamlBodiesAreAccepted() {
        String ns = newNamespace();
        String yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-yaml\ndata:\n  a: b\n";
        ObjectNode created = exchange(client().post().uri("/api/v1/namespaces/" + ns + "/configmaps")
                .contentType(MediaType.parseMediaType("application/yaml")).bodyValue(yaml), 201);
        assertThat(created.path("data").path("a").asString()).isEqualTo("b");
    }

    @Test
    void missingNamespaceIsNotFoundAndDryRunStoresNothing() {
        ObjectNode missing = post("/api/v1/namespaces/nowhere/configmaps", configMap("c", Map.of(), Map.of()), 404);
        assertThat(missing.path("message").asString()).isEqualTo("namespaces \"nowhere\" not found");

        String ns = newNamespace();
        ObjectNode dry = post("/api/v1/namespaces/" + ns + "/configmaps?dryRun=All", configMap("dry", Map.of(), Map.of()), 201);
        assertThat(dry.path("metadata").path("uid").asString()).isNotEmpty();
        get("/api/v1/namespaces/" + ns + "/configmaps/dry", 404);

        ObjectNode stored = post("/api/v1/namespaces/" + ns + "/configmaps", configMap("real", Map.of(), Map.of("a", "1")), 201);
        ObjectNode changed = stored.deepCopy();
        changed.withObject("/data").put("a", "2");
        ObjectNode dryUpdate = put("/api/v1/namespaces/" + ns + "/configmaps/real?dryRun=All", changed, 200);
        assertThat(dryUpdate.path("data").path("a").asString()).isEqualTo("2");
        // kubectl diff compares this with the stored object: the version must be the stored one
        assertThat(dryUpdate.path("metadata").path("resourceVersion").asString())
                .isEqualTo(stored.path("metadata").path("resourceVersion").asString());
        assertThat(get("/api/v1/namespaces/" + ns + "/configmaps/real", 200).path("data").path("a").asString()).isEqualTo("1");
    }

    @Test
    void unknownFieldsAreRejectedUnderStrictValidation() {
        String ns = newNamespace();
        Map<String, Object> body = Map.of("apiVersion", "v1", "kind", "ConfigMap",
                "metadata", Map.of("name", "strict"), "dataz", Map.of("a", "b"));
        ObjectNode strict = post("/api/v1/namespaces/" + ns + "/configmaps?fieldValidation=Strict", body, 400);
        assertThat(strict.path("message").asString()).isEqualTo("strict decoding error: unknown field \"dataz\"");

        client().post().uri("/api/v1/namespaces/" + ns + "/configmaps?fieldValidation=Warn")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectStatus().isCreated()
                .expectHeader().valueMatches("Warning", ".*unknown field \\\\\"dataz\\\\\".*");
        assertThat(get("/api/v1/namespaces/" + ns + "/configmaps/strict", 200).has("dataz")).isFalse();
    }

    @Test
    void secretsFoldStringDataAndServicesGetDefaults() {
        String ns = newNamespace();
        ObjectNode secret = post("/api/v1/namespaces/" + ns + "/secrets",
                Map.of("metadata", Map.of("name", "s"), "stringData", Map.of("password", "hunter2")), 201);
        assertThat(secret.path("type").asString()).isEqualTo("Opaque");
        assertThat(secret.path("data").path("password").asString()).isEqualTo("aHVudGVyMg==");
        assertThat(secret.has("stringData")).isFalse();

        ObjectNode service = post("/api/v1/namespaces/" + ns + "/services",
                Map.of("metadata", Map.of("name", "web"), "spec", Map.of("selector", Map.of("app", "web"),
                        "ports", List.of(Map.of("port", 80)))), 201);
        assertThat(service.path("spec").path("type").asString()).isEqualTo("ClusterIP");
        assertThat(service.path("spec").path("sessionAffinity").asString()).isEqualTo("None");
        assertThat(service.path("spec").path("ports").path(0).path("targetPort").asInt()).isEqualTo(80);
        assertThat(service.path("spec").path("clusterIP").asString()).matches("10\\.(9[6-9]|10[0-9]|11[01])\\.\\d+\\.\\d+");
        ObjectNode withoutIp = service.deepCopy();
        ((ObjectNode) withoutIp.path("spec")).remove("clusterIP");
        ((ObjectNode) withoutIp.path("spec")).remove("clusterIPs");
        assertThat(put("/api/v1/namespaces/" + ns + "/services/web", withoutIp, 200).path("spec").path("clusterIP"))
                .isEqualTo(service.path("spec").path("clusterIP"));
    }

    @Test
    void defaultNamespacesExist() {
        for (String name : List.of("default", "kube-system", "kube-public", "kube-node-lease")) {
            ObjectNode namespace = get("/api/v1/namespaces/" + name, 200);
            assertThat(namespace.path("status").path("phase").asString()).isEqualTo("Active");
        }
    }
}
