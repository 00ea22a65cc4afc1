package io.platform.api.apply;

import static io.platform.api.apply.FieldSetTest.json;
import static io.platform.api.apply.FieldSetTest.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.platform.api.errors.ApiException;
import io.platform.api.errors.StatusCause;
import io.platform.api.registry.BuiltinResources;
import io.platform.api.registry.ResourceType;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Merge, pruning, conflicts and Update entries of the field manager, on plain object trees. */
class FieldManagerTest {

    private static final ResourceType DEPLOYMENTS = BuiltinResources.find("apps", "v1", "deployments").orElseThrow();
    private static final ResourceType CONFIGMAPS = BuiltinResources.find("", "v1", "configmaps").orElseThrow();
    private final FieldManager manager = new FieldManager(Clock.fixed(Instant.parse("2026-11-23T12:00:00Z"), ZoneOffset.UTC));

    private static Map<String, ManagedFieldsEntry> entries(ObjectNode object) {
        return ManagedFields.decode(object.path("metadata").get("managedFields"));
    }

    private static ManagedFieldsEntry entry(ObjectNode object, String name) {
        return entries(object).values().stream().filter(e -> e.manager().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void createThroughApplyOwnsTheAppliedFieldsWithoutIdentity() {
        ObjectNode result = manager.apply(null, yaml(FieldSetTest.DEPLOYMENT), DEPLOYMENTS, "kubectl", false, null).object();

        JsonNode entry = result.path("metadata").path("managedFields").get(0);
        assertThat(entry.path("manager").asString()).isEqualTo("kubectl");
        assertThat(entry.path("operation").asString()).isEqualTo("Apply");
        assertThat(entry.path("apiVersion").asString()).isEqualTo("apps/v1");
        assertThat(entry.path("time").asString()).isEqualTo("2026-11-23T12:00:00Z");
        assertThat(entry.path("fieldsType").asString()).isEqualTo("FieldsV1");
        assertThat(entry.path("fieldsV1").has("f:apiVersion")).isFalse();
        assertThat(entry.path("fieldsV1").path("f:metadata").has("f:name")).isFalse();
        assertThat(entry.path("fieldsV1").path("f:spec").has("f:replicas")).isTrue();
    }

    @Test
    void reapplyWithoutAFieldRemovesIt() {
        ObjectNode live = manager.apply(null, yaml(FieldSetTest.DEPLOYMENT), DEPLOYMENTS, "kubectl", false, null).object();
        ObjectNode config = yaml(FieldSetTest.DEPLOYMENT);
        ((ObjectNode) config.get("metadata")).remove("labels");
        ((ObjectNode) config.path("spec").path("template").path("spec").path("containers").get(0)).remove("env");

        ObjectNode result = manager.apply(live, config, DEPLOYMENTS, "kubectl", false, null).object();

        assertThat(result.path("metadata").has("labels")).isFalse();
        assertThat(result.path("spec").path("template").path("spec").path("containers").get(0).has("env")).isFalse();
        assertThat(result.path("spec").path("replicas").asInt()).isEqualTo(3);
    }

    @Test
    void fieldsOwnedByAnotherApplierStayWhenDropped() {
        ObjectNode live = manager.apply(null, yaml("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: c}
                data: {a: "1", b: "2"}
                """), CONFIGMAPS, "one", false, null).object();
        live = manager.apply(live, yaml("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: c}
                data: {b: "2"}
                """), CONFIGMAPS, "two", false, null).object();

        ObjectNode result = manager.apply(live, yaml("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: c}
                data: {}
                """), CONFIGMAPS, "one", false, null).object();

        assertThat(result.path("data")).isEqualTo(json("{\"b\":\"2\"}"));
    }

    @Test
    void anotherManagerChangingAnOwnedFieldConflicts() {
        ObjectNode live = manager.apply(null, yaml(FieldSetTest.DEPLOYMENT), DEPLOYMENTS, "kubectl", false, null).object();
        ObjectNode config = yaml(FieldSetTest.DEPLOYMENT);
        ((ObjectNode) config.get("spec")).put("replicas", 5);

        assertThatThrownBy(() -> manager.apply(live, config, DEPLOYMENTS, "other", false, null))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(409);
                    assertThat(e.reason()).isEqualTo("Conflict");
                    assertThat(e.getMessage()).isEqualTo(
                            "Apply failed with 1 conflict: conflict with \"kubectl\": .spec.replicas");
                    assertThat(e.causes()).containsExactly(
                            new StatusCause("FieldManagerConflict", ".spec.replicas", "conflict with \"kubectl\""));
                });

        ObjectNode forced = manager.apply(live, config, DEPLOYMENTS, "other", true, null).object();
        assertThat(forced.path("spec").path("replicas").asInt()).isEqualTo(5);
        assertThat(entry(forced, "kubectl").fields().has(FieldPath.of("spec", "replicas"))).isFalse();
        assertThat(entry(forced, "other").fields().has(FieldPath.of("spec", "replicas"))).isTrue();
        assertThat(entry(forced, "kubectl").fields().has(FieldPath.of("spec", "template", "spec"))).isFalse();
    }

    @Test
    void sameValueIsSharedWithoutConflict() {
        ObjectNode live = manager.apply(null, yaml(FieldSetTest.DEPLOYMENT), DEPLOYMENTS, "kubectl", false, null).object();

        ObjectNode result = manager.apply(live, yaml(FieldSetTest.DEPLOYMENT), DEPLOYMENTS, "other", false, null).object();

        assertThat(entry(result, "kubectl").fields().has(FieldPath.of("spec", "replicas"))).isTrue();
        assertThat(entry(result, "other").fields().has(FieldPath.of("spec", "replicas"))).isTrue();
    }

    @Test
    void updateTakesOwnershipAndALaterApplyConflictsWithIt() {
        ObjectNode live = manager.apply(null, yaml(FieldSetTest.DEPLOYMENT), DEPLOYMENTS, "kubectl", false, null).object();
        ObjectNode scaled = live.deepCopy();
        ((ObjectNode) scaled.get("spec")).put("replicas", 5);
        manager.recordUpdate(live, scaled, DEPLOYMENTS, "kubectl-scale", "scale");

        ManagedFieldsEntry scale = entry(scaled, "kubectl-scale");
        assertThat(scale.operation()).isEqualTo("Update");
        assertThat(scale.subresource()).isEqualTo("scale");
        assertThat(scale.fields().toFieldsV1()).isEqualTo(json("{\"f:spec\":{\"f:replicas\":{}}}"));
        assertThat(entry(scaled, "kubectl").fields().has(FieldPath.of("spec", "replicas"))).isFalse();

        assertThatThrownBy(() -> manager.apply(scaled, yaml(FieldSetTest.DEPLOYMENT), DEPLOYMENTS, "kubectl", false, null))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getMessage()).isEqualTo(
                        "Apply failed with 1 conflict: conflict with \"kubectl-scale\" with subresource \"scale\""
                                + " using apps/v1 at 2026-11-23T12:00:00Z: .spec.replicas"));
    }

    @Test
    void createRecordsAnUpdateEntryWithAddedContainersMarked() {
        ObjectNode created = yaml("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: c, labels: {app: x}}
                data: {key: v}
                """);
        manager.recordUpdate(null, created, CONFIGMAPS, "kubectl-create", null);

        assertThat(entry(created, "kubectl-create").fields().toFieldsV1()).isEqualTo(json("""
                {"f:data":{".":{},"f:key":{}},"f:metadata":{"f:labels":{".":{},"f:app":{}}}}
                """));
    }

    @Test
    void createComparesAgainstGoZeroValuesAsUpstream() {
        ObjectNode created = yaml(FieldSetTest.DEPLOYMENT);
        ((ObjectNode) created.get("spec")).set("strategy",
                json("{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"maxSurge\":\"25%\"}}"));
        manager.recordUpdate(null, created, DEPLOYMENTS, "kubectl-client-side-apply", null);

        JsonNode spec = entry(created, "kubectl-client-side-apply").fields().toFieldsV1().path("f:spec");
        assertThat(spec.path("f:strategy").has(".")).isFalse();
        assertThat(spec.path("f:strategy").path("f:rollingUpdate").has(".")).isTrue();
        assertThat(spec.path("f:template").has(".")).isFalse();
        assertThat(spec.path("f:template").path("f:spec").path("f:containers").has(".")).isFalse();
        assertThat(spec.path("f:template").path("f:metadata").path("f:labels").has(".")).isTrue();
    }

    @Test
    void updateEntriesPastTenFoldTheOldestIntoAncientChanges() {
        ObjectNode live = yaml("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: c}
                """);
        for (int i = 0; i < 12; i++) {
            ObjectNode next = live.deepCopy();
            next.withObject("/data").put("key" + i, "v");
            FieldManager at = new FieldManager(Clock.fixed(Instant.parse("2026-11-23T12:00:00Z").plusSeconds(i), ZoneOffset.UTC));
            at.recordUpdate(i == 0 ? null : live, next, CONFIGMAPS, "writer-" + i, null);
            live = next;
        }

        Map<String, ManagedFieldsEntry> entries = entries(live);
        assertThat(entries).hasSize(10);
        ManagedFieldsEntry ancient = entry(live, "ancient-changes");
        assertThat(ancient.fields().toFieldsV1().path("f:data").propertyNames())
                .containsExactlyInAnyOrder(".", "f:key0", "f:key1", "f:key2");
        assertThat(ancient.time()).isEqualTo("2026-11-23T12:00:02Z");
        assertThat(entries.values()).extracting(ManagedFieldsEntry::manager)
                .doesNotContain("writer-0", "writer-1", "writer-2").contains("writer-3", "writer-11");
    }

    @Test
    void resetEntriesClearManagedFields() {
        ObjectNode live = manager.apply(null, yaml(FieldSetTest.DEPLOYMENT), DEPLOYMENTS, "kubectl", false, null).object();
        ObjectNode next = live.deepCopy();
        ((ObjectNode) next.get("metadata")).set("managedFields", json("{\"a\":[{}]}").get("a"));

        manager.recordUpdate(live, next, DEPLOYMENTS, "kubectl-edit", null);

        assertThat(next.path("metadata").has("managedFields")).isFalse();
    }

    @Test
    void listItemsMergeByKeyKeepingOthersInPlace() {
        ObjectNode live = manager.apply(null, yaml(FieldSetTest.DEPLOYMENT), DEPLOYMENTS, "kubectl", false, null).object();
        ObjectNode sidecar = yaml("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: nginx}
                spec:
                  template:
                    spec:
                      containers:
                      - name: sidecar
                        image: busybox
                """);

        ObjectNode result = manager.apply(live, sidecar, DEPLOYMENTS, "injector", false, null).object();

        JsonNode containers = result.path("spec").path("template").path("spec").path("containers");
        assertThat(containers).hasSize(2);
        assertThat(containers.get(0).path("name").asString()).isEqualTo("nginx");
        assertThat(containers.get(0).path("env")).hasSize(1);
        assertThat(containers.get(1).path("name").asString()).isEqualTo("sidecar");
    }

    @Test
    void applyWithoutManagerIsRefused() {
        assertThatThrownBy(() -> FieldManager.applyManager(null))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(400));
        assertThat(FieldManager.managerName(null, "kubectl/v1.32.4 (linux/amd64) kubernetes/59526cd")).isEqualTo("kubectl");
        assertThat(FieldManager.managerName("mine", "kubectl/v1.32.4")).isEqualTo("mine");
    }
}
