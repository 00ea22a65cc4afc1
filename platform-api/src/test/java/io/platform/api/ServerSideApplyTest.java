package io.platform.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Server-side apply, managedFields of other writes, the request body limit and /openapi/v2, over the real server. */
class ServerSideApplyTest extends ApiServerTestSupport {

    private static final String APPLY = "application/apply-patch+yaml";

    private static String deploymentYaml(String name, int replicas, String labels) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: %s
                  labels: {%s}
                spec:
                  replicas: %d
                  selector:
                    matchLabels: {app: %s}
                  template:
                    metadata:
                      labels: {app: %s}
                    spec:
                      containers:
                      - name: web
                        image: busybox:1.35
                """.formatted(name, labels, replicas, name, name);
    }

    private static JsonNode entry(ObjectNode object, String manager) {
        for (JsonNode entry : object.path("metadata").path("managedFields")) {
            if (entry.path("manager").asString().equals(manager)) {
                return entry;
            }
        }
        throw new AssertionError("no managedFields entry of " + manager + " in " + object.path("metadata"));
    }

    @Test
    void applyCreatesThenUpdatesAndPrunesWhatWasDropped() {
        String ns = newNamespace();
        String path = "/apis/apps/v1/namespaces/" + ns + "/deployments/web";

        ObjectNode created = patch(path + "?fieldManager=kubectl", APPLY, deploymentYaml("web", 2, "tier: front"), 201);
        JsonNode entry = entry(created, "kubectl");
        assertThat(entry.path("operation").asString()).isEqualTo("Apply");
        assertThat(entry.path("apiVersion").asString()).isEqualTo("apps/v1");
        assertThat(entry.path("fieldsType").asString()).isEqualTo("FieldsV1");
        assertThat(entry.path("time").asString()).isNotEmpty();
        assertThat(entry.path("fieldsV1").path("f:metadata").path("f:labels").has("f:tier")).isTrue();
        assertThat(entry.path("fieldsV1").path("f:spec").path("f:template").path("f:spec").path("f:containers")
                .has("k:{\"name\":\"web\"}")).isTrue();
        assertThat(created.path("spec").path("strategy").path("type").asString()).isEqualTo("RollingUpdate");

        ObjectNode updated = patch(path + "?fieldManager=kubectl", APPLY, deploymentYaml("web", 2, ""), 200);
        assertThat(updated.path("metadata").path("labels").has("tier")).isFalse();
        assertThat(get(path, 200).path("metadata").path("labels").has("tier")).isFalse();
    }

    @Test
    void secondManagerConflictsUntilItForces() {
        String ns = newNamespace();
        String path = "/apis/apps/v1/namespaces/" + ns + "/deployments/web";
        patch(path + "?fieldManager=first", APPLY, deploymentYaml("web", 2, ""), 201);

        ObjectNode conflict = patch(path + "?fieldManager=second&force=false", APPLY, deploymentYaml("web", 4, ""), 409);
        assertThat(conflict.path("reason").asString()).isEqualTo("Conflict");
        assertThat(conflict.path("message").asString())
                .isEqualTo("Apply failed with 1 conflict: conflict with \"first\": .spec.replicas");
        JsonNode cause = conflict.path("details").path("causes").get(0);
        assertThat(cause.path("reason").asString()).isEqualTo("FieldManagerConflict");
        assertThat(cause.path("field").asString()).isEqualTo(".spec.replicas");
        assertThat(cause.path("message").asString()).isEqualTo("conflict with \"first\"");
        assertThat(get(path, 200).path("spec").path("replicas").asInt()).isEqualTo(2);

        ObjectNode forced = patch(path + "?fieldManager=second&force=true", APPLY, deploymentYaml("web", 4, ""), 200);
        assertThat(forced.path("spec").path("replicas").asInt()).isEqualTo(4);
        assertThat(entry(forced, "first").path("fieldsV1").path("f:spec").has("f:replicas")).isFalse();
        assertThat(entry(forced, "second").path("fieldsV1").path("f:spec").has("f:replicas")).isTrue();
    }

    @Test
    void updateByAnotherManagerMakesALaterApplyConflict() {
        String ns = newNamespace();
        String path = "/apis/apps/v1/namespaces/" + ns + "/deployments/web";
        patch(path + "?fieldManager=kubectl", APPLY, deploymentYaml("web", 2, ""), 201);

        ObjectNode scaled = patch(path + "/scale?fieldManager=kubectl-scale", "application/merge-patch+json",
                "{\"spec\":{\"replicas\":5}}", 200);
        assertThat(scaled.path("spec").path("replicas").asInt()).isEqualTo(5);
        ObjectNode live = get(path, 200);
        JsonNode scale = entry(live, "kubectl-scale");
        assertThat(scale.path("operation").asString()).isEqualTo("Update");
        assertThat(scale.path("subresource").asString()).isEqualTo("scale");
        assertThat(scale.path("fieldsV1").toString()).isEqualTo("{\"f:spec\":{\"f:replicas\":{}}}");

        ObjectNode conflict = patch(path + "?fieldManager=kubectl", APPLY, deploymentYaml("web", 2, ""), 409);
        assertThat(conflict.path("message").asString()).startsWith(
                "Apply failed with 1 conflict: conflict with \"kubectl-scale\" with subresource \"scale\" using apps/v1 at ")
                .endsWith(": .spec.replicas");

        patch(path + "?fieldManager=kubectl&force=true", APPLY, deploymentYaml("web", 2, ""), 200);
        assertThat(get(path, 200).path("spec").path("replicas").asInt()).isEqualTo(2);
    }

    @Test
    void createAndUpdateRecordUpdateEntries() {
        String ns = newNamespace();
        String path = "/api/v1/namespaces/" + ns + "/configmaps";
        post(path + "?fieldManager=creator", configMap("c", Map.of("app", "x"), Map.of("a", "1")), 201);
        ObjectNode patched = patch(path + "/c?fieldManager=patcher", "application/merge-patch+json",
                "{\"data\":{\"b\":\"2\"}}", 200);

        assertThat(entry(patched, "creator").path("fieldsV1").path("f:data").has("f:a")).isTrue();
        assertThat(entry(patched, "patcher").path("operation").asString()).isEqualTo("Update");
        assertThat(entry(patched, "patcher").path("fieldsV1").toString()).isEqualTo("{\"f:data\":{\"f:b\":{}}}");

        ObjectNode conflict = patch(path + "/c?fieldManager=applier", APPLY, """
                {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"b":"3"}}
                """, 409);
        assertThat(conflict.path("details").path("causes").get(0).path("field").asString()).isEqualTo(".data.b");
    }

    @Test
    void applyNeedsAFieldManagerAndHonoursDryRun() {
        String ns = newNamespace();
        String path = "/apis/apps/v1/namespaces/" + ns + "/deployments/web";
        assertThat(patch(path, APPLY, deploymentYaml("web", 1, ""), 400).path("message").asString())
                .contains("fieldManager: Required value");

        ObjectNode dry = patch(path + "?fieldManager=kubectl&dryRun=All", APPLY, deploymentYaml("web", 1, ""), 201);
        assertThat(dry.path("metadata").path("managedFields")).hasSize(1);
        get(path, 404);
    }

    @Test
    void overLargeBodiesAreRefusedAndNothingIsStored() {
        String ns = newNamespace();
        String big = "x".repeat(3 * 1024 * 1024 + 1);
        ObjectNode status = exchange(client().post().uri("/api/v1/namespaces/" + ns + "/configmaps")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(configMap("big", Map.of(), Map.of("data", big))), 413);

        assertThat(status.path("reason").asString()).isEqualTo("RequestEntityTooLarge");
        assertThat(status.path("code").asInt()).isEqualTo(413);
        get("/api/v1/namespaces/" + ns + "/configmaps/big", 404);
    }

    @Test
    void openApiV2DescribesDeploymentsWithTheirKind() {
        ObjectNode document = get("/openapi/v2", 200);

        assertThat(document.path("swagger").asString()).isEqualTo("2.0");
        JsonNode deployment = document.path("definitions").path("io.k8s.api.apps.v1.Deployment");
        assertThat(deployment.path("x-kubernetes-group-version-kind").get(0).toString())
                .isEqualTo("{\"group\":\"apps\",\"kind\":\"Deployment\",\"version\":\"v1\"}");
        assertThat(deployment.path("properties").path("spec").path("$ref").asString())
                .isEqualTo("#/definitions/io.k8s.api.apps.v1.DeploymentSpec");
        JsonNode patchOperation = document.path("paths")
                .path("/apis/apps/v1/namespaces/{namespace}/deployments/{name}").path("patch");
        assertThat(patchOperation.path("consumes").toString()).contains("application/apply-patch+yaml");
        assertThat(patchOperation.path("parameters").toString()).contains("\"in\":\"body\"");
        assertThat(document.path("definitions").path("io.k8s.api.core.v1.PodSpec").path("properties")
                .path("containers").path("x-kubernetes-patch-merge-key").asString()).isEqualTo("name");
        assertThat(List.of(document.toString())).noneMatch(text -> text.contains("#/components/schemas/"));

        ObjectNode refused = exchange(client().get().uri("/openapi/v2")
                .header("Accept", "application/com.github.proto-openapi.spec.v2@v1.0+protobuf"), 406);
        assertThat(refused.path("reason").asString()).isEqualTo("NotAcceptable");
    }

    @Test
    void clientSideAppliedObjectsUpgradeToServerSideApplyWithoutConflicts() {
        String ns = newNamespace();
        String path = "/apis/apps/v1/namespaces/" + ns + "/deployments";
        ObjectNode object = tools.jackson.databind.json.JsonMapper.builder().build()
                .valueToTree(deployment("web", 2));
        ObjectNode lastApplied = object.deepCopy();
        ((ObjectNode) object.get("metadata")).putObject("annotations")
                .put("kubectl.kubernetes.io/last-applied-configuration", lastApplied.toString());
        post(path + "?fieldManager=kubectl-client-side-apply", object, 201);
        String yaml = lastApplied.toString();

        String edited = yaml.replace("\"replicas\":2", "\"replicas\":3");
        patch(path + "/web?fieldManager=other", APPLY, edited, 409);
        // kubectl may take over what is still as its last client-side apply left it
        ObjectNode upgraded = patch(path + "/web?fieldManager=kubectl", APPLY, edited, 200);
        assertThat(upgraded.path("spec").path("replicas").asInt()).isEqualTo(3);
        assertThat(entry(upgraded, "kubectl").path("fieldsV1").path("f:spec").has("f:replicas")).isTrue();
        assertThat(entry(upgraded, "kubectl-client-side-apply").path("fieldsV1").path("f:spec").has("f:replicas")).isFalse();
        assertThat(upgraded.path("metadata").path("annotations").path("kubectl.kubernetes.io/last-applied-configuration")
                .asString()).contains("\"replicas\":3");

        patch(path + "/web/scale?fieldManager=kubectl-scale", "application/merge-patch+json",
                "{\"spec\":{\"replicas\":5}}", 200);
        patch(path + "/web?fieldManager=kubectl", APPLY, edited, 409);
    }

    @Test
    void jsonPatchMayTestTheResourceVersionAndReplaceManagedFields() {
        String ns = newNamespace();
        String path = "/api/v1/namespaces/" + ns + "/configmaps/c";
        ObjectNode created = post("/api/v1/namespaces/" + ns + "/configmaps?fieldManager=creator",
                configMap("c", Map.of(), Map.of("a", "1")), 201);
        String version = created.path("metadata").path("resourceVersion").asString();
        String replacement = "[{\"manager\":\"kubectl\",\"operation\":\"Apply\",\"apiVersion\":\"v1\","
                + "\"fieldsType\":\"FieldsV1\",\"fieldsV1\":{\"f:data\":{\"f:a\":{}}}}]";

        ObjectNode migrated = patch(path + "?fieldManager=kubectl", "application/json-patch+json",
                "[{\"op\":\"test\",\"path\":\"/metadata/resourceVersion\",\"value\":\"" + version + "\"},"
                        + "{\"op\":\"replace\",\"path\":\"/metadata/managedFields\",\"value\":" + replacement + "}]",
                200);

        assertThat(migrated.path("metadata").path("managedFields")).hasSize(1);
        assertThat(entry(migrated, "kubectl").path("operation").asString()).isEqualTo("Apply");
        patch(path + "?fieldManager=kubectl", "application/json-patch+json",
                "[{\"op\":\"test\",\"path\":\"/metadata/resourceVersion\",\"value\":\"" + version + "\"}]", 422);
    }

    @Test
    void malformedManagedFieldsKeepTheStoredOnesAndEmptyEntriesClearThem() {
        String ns = newNamespace();
        String path = "/api/v1/namespaces/" + ns + "/configmaps/c";
        post("/api/v1/namespaces/" + ns + "/configmaps?fieldManager=creator", configMap("c", Map.of(), Map.of("a", "1")), 201);

        ObjectNode kept = patch(path + "?fieldManager=editor", "application/merge-patch+json",
                "{\"metadata\":{\"managedFields\":[{\"manager\":\"x\",\"operation\":\"Bogus\"}]},\"data\":{\"b\":\"2\"}}", 200);
        assertThat(entry(kept, "creator").path("fieldsV1").path("f:data").has("f:a")).isTrue();
        assertThat(entry(kept, "editor").path("fieldsV1").path("f:data").has("f:b")).isTrue();

        ObjectNode cleared = patch(path + "?fieldManager=editor", "application/merge-patch+json",
                "{\"metadata\":{\"managedFields\":[{}]}}", 200);
        assertThat(cleared.path("metadata").has("managedFields")).isFalse();

        patch(path + "?fieldManager=editor&force=true", "application/merge-patch+json", "{}", 422);
    }

    @Test
    void applyToStatusOwnsOnlyTheStatus() {
        String ns = newNamespace();
        String path = "/apis/apps/v1/namespaces/" + ns + "/deployments/web";
        patch(path + "?fieldManager=kubectl", APPLY, deploymentYaml("web", 2, ""), 201);

        ObjectNode updated = patch(path + "/status?fieldManager=controller", APPLY, """
                {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},
                 "spec":{"replicas":9},"status":{"observedGeneration":1,"replicas":2}}
                """, 200);

        assertThat(updated.path("status").path("replicas").asInt()).isEqualTo(2);
        assertThat(updated.path("spec").path("replicas").asInt()).isEqualTo(2);
        JsonNode entry = entry(updated, "controller");
        assertThat(entry.path("subresource").asString()).isEqualTo("status");
        assertThat(entry.path("fieldsV1").toString())
                .isEqualTo("{\"f:status\":{\"f:observedGeneration\":{},\"f:replicas\":{}}}");
    }
}
