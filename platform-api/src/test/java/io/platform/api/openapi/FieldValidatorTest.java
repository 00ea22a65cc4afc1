package io.platform.api.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.platform.api.registry.BuiltinResources;
import io.platform.api.registry.ResourceType;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class FieldValidatorTest {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static FieldValidator validator;

    @BeforeAll
    static void build() {
        validator = new FieldValidator(new OpenApiV3(BuiltinResources.TYPES));
    }

    @Test
    void validDeploymentHasNoUnknownFields() {
        assertThat(validator.unknownFields(type("apps", "deployments"), deployment("replicas", "image"))).isEmpty();
    }

    @Test
    void reportsAMisspelledSpecField() {
        assertThat(validator.unknownFields(type("apps", "deployments"), deployment("replicaz", "image")))
                .containsExactly("spec.replicaz");
    }

    @Test
    void reportsNestedFieldsWithListIndexes() {
        assertThat(validator.unknownFields(type("apps", "deployments"), deployment("replicas", "imagez")))
                .containsExactly("spec.template.spec.containers[0].imagez");
    }

    @Test
    void reportsEveryUnknownFieldInDocumentOrder() {
        JsonNode pod = json("""
                {"apiVersion":"v1","kind":"Pod","colour":"red","metadata":{"name":"p","nam":"x"},
                 "spec":{"containers":[{"name":"a","image":"i"},{"name":"b","image":"i","portz":[]}]}}""");
        assertThat(validator.unknownFields(type("", "pods"), pod))
                .containsExactly("colour", "metadata.nam", "spec.containers[1].portz");
    }

    @Test
    void mapsAcceptAnyKey() {
        JsonNode configMap = json("""
                {"apiVersion":"v1","kind":"ConfigMap",
                 "metadata":{"name":"c","labels":{"anything.example.com/x":"y"},"annotations":{"a":"b"}},
                 "data":{"whatever":"v","other.key":"w"},"binaryData":{"b":"AAEC"}}""");
        assertThat(validator.unknownFields(type("", "configmaps"), configMap)).isEmpty();
    }

    @Test
    void objectsWithoutDeclaredPropertiesAcceptAnything() {
        JsonNode lease = json("""
                {"apiVersion":"coordination.k8s.io/v1","kind":"Lease",
                 "metadata":{"name":"l","managedFields":[{"manager":"m","fieldsType":"FieldsV1",
                   "fieldsV1":{"f:spec":{"f:holderIdentity":{}}}}]},
                 "spec":{"holderIdentity":"me","leaseDurationSeconds":15,"renewTime":"2025-01-01T00:00:00.000000Z"}}""");
        assertThat(validator.unknownFields(type("coordination.k8s.io", "leases"), lease)).isEmpty();
    }

    @Test
    void intOrStringAndQuantityValuesAreNotWalked() {
        JsonNode deployment = json("""
                {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d"},
                 "spec":{"selector":{"matchLabels":{"app":"a"}},
                  "strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":"25%","maxUnavailable":1}},
                  "template":{"metadata":{"labels":{"app":"a"}},"spec":{"containers":[{"name":"c","image":"i",
                   "resources":{"limits":{"cpu":"100m","memory":"64Mi"}},"ports":[{"containerPort":80}]}]}}}}""");
        assertThat(validator.unknownFields(type("apps", "deployments"), deployment)).isEmpty();
    }

    @Test
    void typesWithoutASchemaAreNotValidated() {
        ResourceType widget = new ResourceType("example.com", "v1", "Widget", "widgets", "widget", true,
                List.of(), List.of(), Set.of(), io.fabric8.kubernetes.api.model.Pod.class);
        assertThat(validator.unknownFields(widget, json("{\"spec\":{\"anything\":1}}"))).isEmpty();
    }

    private static JsonNode deployment(String replicasField, String imageField) {
        return json("""
                {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","labels":{"app":"web"}},
                 "spec":{"%s":2,"selector":{"matchLabels":{"app":"web"}},
                  "template":{"metadata":{"labels":{"app":"web"}},
                   "spec":{"containers":[{"name":"web","%s":"nginx","env":[{"name":"A","value":"b"}]}]}}}}"""
                .formatted(replicasField, imageField));
    }

    private static ResourceType type(String group, String plural) {
        return BuiltinResources.find(group, "v1", plural).orElseThrow();
    }

    private static JsonNode json(String text) {
        return MAPPER.readTree(text);
    }
}
