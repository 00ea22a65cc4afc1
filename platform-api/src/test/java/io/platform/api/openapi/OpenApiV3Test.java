package io.platform.api.openapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubernetes.client.openapi.models.CoreV1Event;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Lease;
import io.kubernetes.client.openapi.models.V1Pod;
import io.platform.api.registry.BuiltinResources;
import io.platform.api.registry.ResourceType;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class OpenApiV3Test {

    private static OpenApiV3 openApi;

    @BeforeAll
    static void build() {
        openApi = new OpenApiV3(BuiltinResources.TYPES);
    }

    @Test
    void deploymentPatchDeclaresItsKindAndFieldValidation() {
        JsonNode patch = apps().at("/paths/~1apis~1apps~1v1~1namespaces~1{namespace}~1deployments~1{name}/patch");

        assertThat(patch.path("operationId").asString()).isEqualTo("patchAppsV1NamespacedDeployment");
        assertThat(patch.path("x-kubernetes-action").asString()).isEqualTo("patch");
        assertThat(patch.path("x-kubernetes-group-version-kind").path("group").asString()).isEqualTo("apps");
        assertThat(patch.path("x-kubernetes-group-version-kind").path("version").asString()).isEqualTo("v1");
        assertThat(patch.path("x-kubernetes-group-version-kind").path("kind").asString()).isEqualTo("Deployment");
        assertThat(queryParameters(patch)).contains("fieldValidation", "fieldManager", "dryRun", "force");
        assertThat(patch.path("requestBody").path("content").propertyNames()).containsExactlyInAnyOrder(
                "application/json-patch+json", "application/merge-patch+json",
                "application/strategic-merge-patch+json", "application/apply-patch+yaml");
        assertThat(patch.at("/responses/200/content/application~1json/schema/$ref").asString())
                .isEqualTo("#/components/schemas/io.k8s.api.apps.v1.Deployment");
    }

    @Test
    void everyPatchOperationOfEveryDocumentCarriesKindAndFieldValidation() {
        for (String path : List.of("api/v1", "apis/apps/v1", "apis/coordination.k8s.io/v1")) {
            JsonNode document = openApi.document(path).orElseThrow();
            int patches = 0;
            for (Map.Entry<String, JsonNode> item : document.path("paths").properties()) {
                JsonNode patch = item.getValue().path("patch");
                if (patch.isObject()) {
                    patches++;
                    assertThat(patch.path("x-kubernetes-group-version-kind").path("kind").asString())
                            .as(item.getKey()).isNotEmpty();
                    assertThat(queryParameters(patch)).as(item.getKey()).contains("fieldValidation");
                }
            }
            assertThat(patches).as(path).isPositive();
        }
    }

    @Test
    void deploymentSchemaIsGeneratedFromTheModels() {
        JsonNode schemas = apps().path("components").path("schemas");
        JsonNode deployment = schemas.path("io.k8s.api.apps.v1.Deployment");
        assertThat(deployment.path("description").asString()).contains("Deployment");
        assertThat(deployment.path("x-kubernetes-group-version-kind").get(0).path("kind").asString())
                .isEqualTo("Deployment");
        assertThat(deployment.at("/properties/spec/allOf/0/$ref").asString())
                .isEqualTo("#/components/schemas/io.k8s.api.apps.v1.DeploymentSpec");
        // the models have no text for fields of another model's type: the referred type's description stands in
        assertThat(deployment.at("/properties/spec/description").asString())
                .isEqualTo(schemas.at("/io.k8s.api.apps.v1.DeploymentSpec/description").asString()).isNotEmpty();

        JsonNode replicas = schemas.at("/io.k8s.api.apps.v1.DeploymentSpec/properties/replicas");
        assertThat(replicas.path("type").asString()).isEqualTo("integer");
        assertThat(replicas.path("format").asString()).isEqualTo("int32");
        assertThat(replicas.path("description").asString()).contains("desired pods");
        assertThat(schemas.at("/io.k8s.api.apps.v1.DeploymentSpec/required").toString())
                .contains("selector", "template");
        assertThat(schemas.at("/io.k8s.api.core.v1.Container/required").toString()).contains("name");
    }

    @Test
    void describedReferencesAreWrappedInAllOfAsKubernetesDoes() {
        JsonNode created = apps().at(
                "/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta/properties/creationTimestamp");
        assertThat(created.path("description").asString()).isNotEmpty();
        assertThat(created.at("/allOf/0/$ref").asString())
                .isEqualTo("#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Time");
    }

    @Test
    void listsCarryPatchStrategiesAndMergeKeys() {
        JsonNode podSpec = apps().at("/components/schemas/io.k8s.api.core.v1.PodSpec/properties");
        assertThat(podSpec.at("/containers/x-kubernetes-patch-merge-key").asString()).isEqualTo("name");
        assertThat(podSpec.at("/containers/x-kubernetes-patch-strategy").asString()).isEqualTo("merge");
        assertThat(podSpec.at("/containers/items/$ref").asString())
                .isEqualTo("#/components/schemas/io.k8s.api.core.v1.Container");
        assertThat(apps().at("/components/schemas/io.k8s.api.core.v1.Container/properties/ports"
                + "/x-kubernetes-patch-merge-key").asString()).isEqualTo("containerPort");
    }

    @Test
    void scalarTypesAreKubernetesOwn() {
        JsonNode schemas = openApi.document("api/v1").orElseThrow().path("components").path("schemas");
        JsonNode intOrString = schemas.path("io.k8s.apimachinery.pkg.util.intstr.IntOrString");
        assertThat(intOrString.path("type").asString()).isEqualTo("string");
        assertThat(intOrString.path("format").asString()).isEqualTo("int-or-string");
        assertThat(intOrString.path("x-kubernetes-int-or-string").asBoolean()).isTrue();
        assertThat(schemas.at("/io.k8s.apimachinery.pkg.api.resource.Quantity/type").asString()).isEqualTo("string");
        assertThat(schemas.at("/io.k8s.apimachinery.pkg.apis.meta.v1.Time/format").asString()).isEqualTo("date-time");
        assertThat(schemas.at("/io.k8s.api.core.v1.Secret/properties/data/additionalProperties/format").asString())
                .isEqualTo("byte");
        assertThat(schemas.at("/io.k8s.api.core.v1.ContainerPort/properties/containerPort/format").asString())
                .isEqualTo("int32");
        assertThat(schemas.at("/io.k8s.api.core.v1.Event/properties/eventTime/allOf/0/$ref").asString())
                .endsWith("meta.v1.MicroTime");
        assertThat(schemas.at("/io.k8s.api.core.v1.Event/x-kubernetes-group-version-kind/0/kind").asString())
                .isEqualTo("Event");
        assertThat(schemas.at("/io.k8s.apimachinery.pkg.apis.meta.v1.Status/x-kubernetes-group-version-kind/0/kind")
                .asString()).isEqualTo("Status");
    }

    @Test
    void everyReferenceResolvesWithinItsDocument() {
        for (String path : List.of("api/v1", "apis/apps/v1", "apis/coordination.k8s.io/v1", "api", "apis")) {
            JsonNode document = openApi.document(path).orElseThrow();
            Set<String> defined = Set.copyOf(document.path("components").path("schemas").propertyNames());
            List<String> refs = new ArrayList<>();
            collectRefs(document, refs);
            assertThat(refs).as(path).isNotEmpty();
            assertThat(refs).as(path).allSatisfy(ref -> {
                assertThat(ref).startsWith("#/components/schemas/");
                assertThat(defined).contains(ref.substring("#/components/schemas/".length()));
            });
        }
    }

    @Test
    void pathsCoverCollectionsItemsAllNamespacesAndSubresources() {
        JsonNode core = openApi.document("api/v1").orElseThrow().path("paths");
        assertThat(core.path("/api/v1/namespaces/{namespace}/pods").has("get")).isTrue();
        assertThat(core.path("/api/v1/namespaces/{namespace}/pods").has("post")).isTrue();
        assertThat(core.path("/api/v1/namespaces/{namespace}/pods").path("delete").path("operationId").asString())
                .isEqualTo("deleteCoreV1CollectionNamespacedPod");
        assertThat(core.path("/api/v1/pods").path("get").path("operationId").asString())
                .isEqualTo("listCoreV1PodForAllNamespaces");
        assertThat(core.path("/api/v1/nodes/{name}").path("put").path("operationId").asString())
                .isEqualTo("replaceCoreV1Node");
        assertThat(core.path("/api/v1/namespaces/{namespace}/pods/{name}/status").has("patch")).isTrue();
        assertThat(core.at("/~1api~1v1~1namespaces~1{namespace}~1pods~1{name}~1binding/post/"
                + "x-kubernetes-group-version-kind/kind").asString()).isEqualTo("Binding");
        assertThat(core.at("/~1api~1v1~1namespaces~1{namespace}~1pods~1{name}~1log/get/operationId").asString())
                .isEqualTo("readCoreV1NamespacedPodLog");
        assertThat(core.path("/api/v1/namespaces").has("delete")).isFalse();

        JsonNode scale = apps().path("paths").path("/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale");
        assertThat(scale.at("/patch/x-kubernetes-group-version-kind/group").asString()).isEqualTo("autoscaling");
        assertThat(scale.at("/get/responses/200/content/application~1json/schema/$ref").asString())
                .isEqualTo("#/components/schemas/io.k8s.api.autoscaling.v1.Scale");
        assertThat(openApi.document("apis/coordination.k8s.io/v1").orElseThrow()
                .at("/components/schemas/io.k8s.api.coordination.v1.Lease/x-kubernetes-group-version-kind/0/group")
                .asString()).isEqualTo("coordination.k8s.io");
    }

    @Test
    void indexAdvertisesEveryDocumentWithTheHashOfItsBytes() throws Exception {
        JsonNode paths = openApi.index().path("paths");
        assertThat(paths.propertyNames()).contains("api/v1", "apis/apps/v1", "apis/coordination.k8s.io/v1");
        for (String path : paths.propertyNames()) {
            byte[] bytes = openApi.documentBytes(path).orElseThrow();
            String hash = HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("SHA-512").digest(bytes));
            assertThat(paths.path(path).path("serverRelativeURL").asString())
                    .isEqualTo("/openapi/v3/" + path + "?hash=" + hash);
            assertThat(openApi.document("/" + path + "?hash=" + hash)).isPresent();
        }
        assertThat(openApi.document("apis/nope/v1")).isEmpty();
        JsonNode document = openApi.document("apis/apps/v1").orElseThrow();
        assertThat(document.path("openapi").asString()).isEqualTo("3.0.0");
        assertThat(document.path("info").path("version").asString()).startsWith("v1.32.");
    }

    @Test
    void everyBuiltinTypeHasAModelAndADocumentWhoseReferencesResolve() {
        for (ResourceType type : BuiltinResources.TYPES) {
            assertThat(OpenApiV3.modelClass(type)).as(type.apiVersion() + " " + type.kind()).isNotNull();
            String path = type.group().isEmpty() ? "api/v1" : "apis/" + type.group() + "/" + type.version();
            JsonNode document = openApi.document(path).orElseThrow(() -> new AssertionError("no document " + path));
            assertThat(openApi.definition(type)).as(type.kind()).isPresent();
            JsonNode schema = document.path("components").path("schemas").path(openApi.definition(type).orElseThrow());
            assertThat(schema.path("x-kubernetes-group-version-kind").get(0).path("kind").asString())
                    .as(type.kind()).isEqualTo(type.kind());
            assertThat(schema.path("properties").has("metadata")).as(type.kind()).isTrue();
            Set<String> defined = Set.copyOf(document.path("components").path("schemas").propertyNames());
            List<String> refs = new ArrayList<>();
            collectRefs(document, refs);
            assertThat(refs).as(path).allSatisfy(ref ->
                    assertThat(defined).as(ref).contains(ref.substring("#/components/schemas/".length())));
            String collectionPath = "/" + path + (type.namespaced() ? "/namespaces/{namespace}/" : "/") + type.plural();
            if (type.createOnly()) {
                // the review APIs: one create operation, no item path
                assertThat(document.path("paths").path(collectionPath).path("post")
                        .path("x-kubernetes-group-version-kind").path("kind").asString()).as(collectionPath)
                        .isEqualTo(type.kind());
                assertThat(document.path("paths").has(collectionPath + "/{name}")).as(collectionPath).isFalse();
                continue;
            }
            String itemPath = collectionPath + "/{name}";
            JsonNode patch = document.path("paths").path(itemPath).path("patch");
            assertThat(patch.path("x-kubernetes-group-version-kind").path("kind").asString()).as(itemPath)
                    .isEqualTo(type.kind());
            assertThat(queryParameters(patch)).as(itemPath).contains("fieldValidation");
            for (String subresource : type.subresources()) {
                if (!subresource.equals("log")) {
                    assertThat(document.path("paths").has(itemPath + "/" + subresource)).as(itemPath + "/" + subresource)
                            .isTrue();
                }
            }
        }
    }

    @Test
    void subresourcesOfOtherKindsReferToTheirOwnSchemas() {
        JsonNode core = openApi.document("api/v1").orElseThrow();
        JsonNode eviction = core.path("paths").path("/api/v1/namespaces/{namespace}/pods/{name}/eviction").path("post");
        assertThat(eviction.path("x-kubernetes-group-version-kind").path("group").asString()).isEqualTo("policy");
        assertThat(eviction.path("x-kubernetes-group-version-kind").path("kind").asString()).isEqualTo("Eviction");
        assertThat(core.path("components").path("schemas").has("io.k8s.api.policy.v1.Eviction")).isTrue();
        JsonNode certificates = openApi.document("apis/certificates.k8s.io/v1").orElseThrow();
        assertThat(certificates.path("paths").path("/apis/certificates.k8s.io/v1/certificatesigningrequests/{name}/approval")
                .path("put").isObject()).isTrue();
        assertThat(openApi.document("apis/apiregistration.k8s.io/v1").orElseThrow().path("components").path("schemas")
                .has("io.k8s.kube-aggregator.pkg.apis.apiregistration.v1.APIService")).isTrue();
    }

    @Test
    void modelClassesAreClientJavaApiModels() {
        assertThat(OpenApiV3.modelClass(type("", "pods"))).isEqualTo(V1Pod.class);
        assertThat(OpenApiV3.modelClass(type("", "events"))).isEqualTo(CoreV1Event.class);
        assertThat(OpenApiV3.modelClass(type("apps", "deployments"))).isEqualTo(V1Deployment.class);
        assertThat(OpenApiV3.modelClass(type("coordination.k8s.io", "leases"))).isEqualTo(V1Lease.class);
        ResourceType unknown = new ResourceType("example.com", "v1", "Widget", "widgets", "widget", true,
                List.of(), List.of(), Set.of(), io.fabric8.kubernetes.api.model.Pod.class);
        assertThatThrownBy(() -> OpenApiV3.modelClass(unknown)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void typesWithoutModelsAreLeftOutOfTheDocuments() {
        ResourceType unknown = new ResourceType("example.com", "v1", "Widget", "widgets", "widget", true,
                List.of(), List.of(), Set.of(), io.fabric8.kubernetes.api.model.Pod.class);
        List<ResourceType> types = new ArrayList<>(BuiltinResources.TYPES);
        types.add(unknown);
        OpenApiV3 withUnknown = new OpenApiV3(types);
        assertThat(withUnknown.document("apis/example.com/v1")).isEmpty();
        assertThat(withUnknown.document("apis/apps/v1")).isPresent();
    }

    private static JsonNode apps() {
        return openApi.document("apis/apps/v1").orElseThrow();
    }

    private static ResourceType type(String group, String plural) {
        return BuiltinResources.find(group, "v1", plural).orElseThrow();
    }

    private static List<String> queryParameters(JsonNode operation) {
        List<String> names = new ArrayList<>();
        operation.path("parameters").values().forEach(p -> {
            if (p.path("in").asString().equals("query")) {
                names.add(p.path("name").asString());
            }
        });
        return names;
    }

    private static void collectRefs(JsonNode node, List<String> refs) {
        if (node.isObject()) {
            node.properties().forEach(e -> {
                if (e.getKey().equals("$ref")) {
                    refs.add(e.getValue().asString());
                } else {
                    collectRefs(e.getValue(), refs);
                }
            });
        } else if (node.isArray()) {
            node.values().forEach(v -> collectRefs(v, refs));
        }
    }
}
