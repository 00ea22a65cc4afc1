package io.platform.api.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.platform.api.registry.BuiltinResources;
import io.platform.api.registry.ResourceType;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
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

    /** resource → shortNames, categories, subresources, scope, as {@code kubectl api-resources} shows upstream 1.32. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            ''|endpoints|ep||''|Namespaced
            ''|limitranges|limits||''|Namespaced
            ''|resourcequotas|quota||status|Namespaced
            ''|persistentvolumeclaims|pvc||status|Namespaced
            ''|persistentvolumes|pv||status|Cluster
            ''|podtemplates|||''|Namespaced
            ''|replicationcontrollers|rc|all|scale,status|Namespaced
            ''|pods|po|all|attach,binding,ephemeralcontainers,eviction,exec,log,portforward,status|Namespaced
            apps|statefulsets|sts|all|scale,status|Namespaced
            apps|daemonsets|ds|all|status|Namespaced
            apps|controllerrevisions|||''|Namespaced
            autoscaling|horizontalpodautoscalers|hpa|all|status|Namespaced
            batch|jobs||all|status|Namespaced
            batch|cronjobs|cj|all|status|Namespaced
            networking.k8s.io|ingresses|ing||status|Namespaced
            networking.k8s.io|ingressclasses|||''|Cluster
            networking.k8s.io|networkpolicies|netpol||''|Namespaced
            policy|poddisruptionbudgets|pdb||status|Namespaced
            rbac.authorization.k8s.io|roles|||''|Namespaced
            rbac.authorization.k8s.io|rolebindings|||''|Namespaced
            rbac.authorization.k8s.io|clusterroles|||''|Cluster
            rbac.authorization.k8s.io|clusterrolebindings|||''|Cluster
            discovery.k8s.io|endpointslices|||''|Namespaced
            events.k8s.io|events|ev||''|Namespaced
            scheduling.k8s.io|priorityclasses|pc||''|Cluster
            storage.k8s.io|storageclasses|sc||''|Cluster
            certificates.k8s.io|certificatesigningrequests|csr||approval,status|Cluster
            admissionregistration.k8s.io|validatingwebhookconfigurations||api-extensions|''|Cluster
            admissionregistration.k8s.io|mutatingwebhookconfigurations||api-extensions|''|Cluster
            apiregistration.k8s.io|apiservices||api-extensions|status|Cluster
            """)
    void servesEveryBuiltinTypeAsKubernetes(String group, String plural, String shortNames, String categories,
            String subresources, String scope) {
        JsonNode list = group.isEmpty() ? discovery.aggregatedCore() : discovery.aggregatedGroups();
        JsonNode apiGroup = group.isEmpty() ? list.path("items").get(0) : group(list, group);
        JsonNode resource = resource(apiGroup.path("versions").get(0), plural);
        assertThat(resource.path("scope").asString()).isEqualTo(scope);
        assertThat(String.join(",", strings(resource.path("shortNames")))).isEqualTo(orEmpty(shortNames));
        assertThat(String.join(",", strings(resource.path("categories")))).isEqualTo(orEmpty(categories));
        assertThat(resource.path("subresources").values().stream().map(s -> s.path("subresource").asString()).sorted()
                .collect(Collectors.joining(","))).isEqualTo(orEmpty(subresources));
        assertThat(strings(resource.path("verbs"))).isEqualTo(ALL_VERBS);
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }

    @Test
    void autoscalingServesV2FirstAndV1() {
        JsonNode autoscaling = group(discovery.aggregatedGroups(), "autoscaling");
        assertThat(autoscaling.path("versions").values().stream().map(v -> v.path("version").asString()).toList())
                .containsExactly("v2", "v1");
        assertThat(resource(autoscaling.path("versions").get(1), "horizontalpodautoscalers").path("responseKind")
                .path("kind").asString()).isEqualTo("HorizontalPodAutoscaler");
    }

    @Test
    void evictionAndApprovalAnswerWithTheirKinds() {
        JsonNode core = discovery.aggregatedCore().path("items").get(0);
        JsonNode eviction = subresource(resource(core.path("versions").get(0), "pods"), "eviction");
        assertThat(eviction.path("responseKind").path("group").asString()).isEqualTo("policy");
        assertThat(eviction.path("responseKind").path("kind").asString()).isEqualTo("Eviction");
        assertThat(strings(eviction.path("verbs"))).containsExactly("create");
        JsonNode csr = resource(group(discovery.aggregatedGroups(), "certificates.k8s.io").path("versions").get(0),
                "certificatesigningrequests");
        assertThat(subresource(csr, "approval").path("responseKind").path("kind").asString())
                .isEqualTo("CertificateSigningRequest");
        assertThat(strings(subresource(csr, "approval").path("verbs"))).containsExactly("get", "patch", "update");
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
