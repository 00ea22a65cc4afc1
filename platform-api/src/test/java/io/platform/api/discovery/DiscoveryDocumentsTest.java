package io.platform.api.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.platform.api.registry.BuiltinResources;
import io.platform.api.registry.ResourceType;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class DiscoveryDocumentsTest {

    private static final List<String> ALL_VERBS =
            List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

    private final DiscoveryDocuments discovery =
            new DiscoveryDocuments(BuiltinResources.TYPES, List.of("127.0.0.1:6443"));

    @Test
    void aggregatedDiscoveryGivesEveryResourceAndSubresourceAResponseKind() {
        for (JsonNode list : List.of(discovery.aggregatedCore(), discovery.aggregatedGroups())) {
            assertThat(list.path("kind").asString()).isEqualTo("APIGroupDiscoveryList");
            assertThat(list.path("apiVersion").asString()).isEqualTo("apidiscovery.k8s.io/v2");
            for (JsonNode group : list.path("items").values()) {
                for (JsonNode version : group.path("versions").values()) {
                    assertThat(version.path("freshness").asString()).isEqualTo("Current");
                    for (JsonNode resource : version.path("resources").values()) {
                        assertThat(resource.path("responseKind").path("kind").asString())
                                .as(resource.path("resource").asString()).isNotEmpty();
                        assertThat(resource.path("scope").asString()).isIn("Namespaced", "Cluster");
                        assertThat(resource.path("singularResource").asString()).isNotEmpty();
                        for (JsonNode sub : resource.path("subresources").values()) {
                            assertThat(sub.path("responseKind").path("kind").asString())
                                    .as(sub.path("subresource").asString()).isNotEmpty();
                            assertThat(sub.path("verbs").size()).isPositive();
                        }
                    }
                }
            }
        }
    }

    @Test
    void aggregatedCoreListsPodsWithItsSubresources() {
        JsonNode core = discovery.aggregatedCore().path("items").get(0);
        assertThat(core.path("metadata").has("name")).isFalse();
        JsonNode pods = resource(core.path("versions").get(0), "pods");
        assertThat(pods.path("scope").asString()).isEqualTo("Namespaced");
        assertThat(pods.path("singularResource").asString()).isEqualTo("pod");
        assertThat(strings(pods.path("verbs"))).isEqualTo(ALL_VERBS);
        assertThat(strings(pods.path("shortNames"))).containsExactly("po");
        assertThat(strings(pods.path("categories"))).containsExactly("all");
        assertThat(pods.path("responseKind").path("kind").asString()).isEqualTo("Pod");

        JsonNode binding = subresource(pods, "binding");
        assertThat(binding.path("responseKind").path("kind").asString()).isEqualTo("Binding");
        assertThat(strings(binding.path("verbs"))).containsExactly("create");
        assertThat(strings(subresource(pods, "status").path("verbs"))).containsExactly("get", "patch", "update");
        assertThat(strings(subresource(pods, "log").path("verbs"))).containsExactly("get");

        JsonNode namespaces = resource(core.path("versions").get(0), "namespaces");
        assertThat(namespaces.path("scope").asString()).isEqualTo("Cluster");
        assertThat(strings(namespaces.path("verbs"))).doesNotContain("deletecollection");
    }

    @Test
    void deploymentScaleAnswersWithAutoscalingScale() {
        JsonNode apps = group(discovery.aggregatedGroups(), "apps");
        JsonNode scale = subresource(resource(apps.path("versions").get(0), "deployments"), "scale");
        assertThat(scale.path("responseKind").path("group").asString()).isEqualTo("autoscaling");
        assertThat(scale.path("responseKind").path("version").asString()).isEqualTo("v1");
        assertThat(scale.path("responseKind").path("kind").asString()).isEqualTo("Scale");
        assertThat(strings(scale.path("verbs"))).containsExactly("get", "patch", "update");
        assertThat(group(discovery.aggregatedGroups(), "coordination.k8s.io").path("versions").get(0)
                .path("version").asString()).isEqualTo("v1");
    }

    @Test
    void legacyDocumentsListVersionsGroupsAndResources() {
        JsonNode versions = discovery.coreVersions();
        assertThat(versions.path("kind").asString()).isEqualTo("APIVersions");
        assertThat(strings(versions.path("versions"))).containsExactly("v1");
        assertThat(versions.at("/serverAddressByClientCIDRs/0/serverAddress").asString()).isEqualTo("127.0.0.1:6443");

        JsonNode groups = discovery.groups();
        assertThat(groups.path("kind").asString()).isEqualTo("APIGroupList");
        JsonNode apps = group(groups.path("groups"), "apps");
        assertThat(apps.path("preferredVersion").path("groupVersion").asString()).isEqualTo("apps/v1");
        assertThat(apps.path("versions").get(0).path("version").asString()).isEqualTo("v1");

        JsonNode coreResources = discovery.resources("", "v1").orElseThrow();
        assertThat(coreResources.path("kind").asString()).isEqualTo("APIResourceList");
        assertThat(coreResources.path("groupVersion").asString()).isEqualTo("v1");
        JsonNode binding = legacy(coreResources, "pods/binding");
        assertThat(binding.path("kind").asString()).isEqualTo("Binding");
        assertThat(strings(binding.path("verbs"))).containsExactly("create");
        JsonNode pods = legacy(coreResources, "pods");
        assertThat(pods.path("namespaced").asBoolean()).isTrue();
        assertThat(pods.path("storageVersionHash").asString()).isNotEmpty();

        JsonNode appsResources = discovery.resources("apps", "v1").orElseThrow();
        assertThat(appsResources.path("groupVersion").asString()).isEqualTo("apps/v1");
        JsonNode scale = legacy(appsResources, "deployments/scale");
        assertThat(scale.path("group").asString()).isEqualTo("autoscaling");
        assertThat(scale.path("version").asString()).isEqualTo("v1");
        assertThat(scale.path("kind").asString()).isEqualTo("Scale");
        assertThat(legacy(appsResources, "deployments/status").has("group")).isFalse();
        assertThat(discovery.resources("apps", "v2")).isEmpty();
    }

    @Test
    void preferredVersionIsTheMostStable() {
        List<ResourceType> types = new ArrayList<>();
        types.add(widget("v1alpha1"));
        types.add(widget("v1beta2"));
        types.add(widget("v2"));
        types.add(widget("v1"));
        DiscoveryDocuments documents = new DiscoveryDocuments(types);
        JsonNode group = group(documents.groups().path("groups"), "example.com");
        assertThat(group.path("preferredVersion").path("version").asString()).isEqualTo("v2");
        List<String> order = new ArrayList<>();
        group.path("versions").values().forEach(v -> order.add(v.path("version").asString()));
        assertThat(order).containsExactly("v2", "v1", "v1beta2", "v1alpha1");
        assertThat(documents.aggregatedGroups().at("/items/0/versions/0/version").asString()).isEqualTo("v2");
        assertThat(documents.coreVersions().path("serverAddressByClientCIDRs").size()).isZero();
    }

    @Test
    void unknownSubresourcesAreRejected() {
        ResourceType odd = new ResourceType("", "v1", "Pod", "pods", "pod", true, List.of(), List.of(),
                Set.of("frobnicate"), io.fabric8.kubernetes.api.model.Pod.class);
        assertThatThrownBy(() -> new DiscoveryDocuments(List.of(odd)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("frobnicate");
    }

    @Test
    void versionIsKubernetes132() {
        JsonNode version = VersionInfo.json();
        assertThat(version.path("major").asString()).isEqualTo("1");
        assertThat(version.path("minor").asString()).isEqualTo("32");
        assertThat(version.path("gitVersion").asString()).startsWith("v1.32.");
        assertThat(version.path("compiler").asString()).isEqualTo("gc");
        assertThat(version.path("platform").asString()).contains("/");
        assertThat(version.propertyNames()).contains("gitCommit", "gitTreeState", "buildDate", "goVersion");
    }

    private static ResourceType widget(String version) {
        return new ResourceType("example.com", version, "Widget", "widgets", "widget", true,
                List.of(), List.of(), Set.of(), io.fabric8.kubernetes.api.model.Pod.class);
    }

    private static JsonNode group(JsonNode listOrItems, String name) {
        JsonNode items = listOrItems.isArray() ? listOrItems : listOrItems.path("items");
        for (JsonNode group : items.values()) {
            if (group.path("name").asString().equals(name) || group.at("/metadata/name").asString().equals(name)) {
                return group;
            }
        }
        throw new AssertionError("no group " + name);
    }

    private static JsonNode resource(JsonNode version, String name) {
        for (JsonNode resource : version.path("resources").values()) {
            if (resource.path("resource").asString().equals(name)) {
                return resource;
            }
        }
        throw new AssertionError("no resource " + name);
    }

    private static JsonNode subresource(JsonNode resource, String name) {
        for (JsonNode sub : resource.path("subresources").values()) {
            if (sub.path("subresource").asString().equals(name)) {
                return sub;
            }
        }
        throw new AssertionError("no subresource " + name);
    }

    private static JsonNode legacy(JsonNode resourceList, String name) {
        for (JsonNode resource : resourceList.path("resources").values()) {
            if (resource.path("name").asString().equals(name)) {
                return resource;
            }
        }
        throw new AssertionError("no resource " + name);
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.values().forEach(v -> values.add(v.asString()));
        return values;
    }
}
