package io.platform.api.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.platform.api.json.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** Field sets of applied configurations and their FieldsV1 encoding, against upstream's documented examples. */
class FieldSetTest {

    static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: nginx
              labels:
                app: nginx
            spec:
              replicas: 3
              selector:
                matchLabels:
                  app: nginx
              template:
                metadata:
                  labels:
                    app: nginx
                spec:
                  containers:
                  - name: nginx
                    image: nginx:1.27
                    ports:
                    - containerPort: 80
                    env:
                    - name: A
                      value: b
            """;

    static ObjectNode yaml(String text) {
        return Json.parseYamlObject(text.getBytes(StandardCharsets.UTF_8));
    }

    static ObjectNode json(String text) {
        return Json.parseObject(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void appliedDeploymentEncodesAsUpstream() {
        FieldSet set = ObjectFields.of(yaml(DEPLOYMENT), ApplySchema.root(V1Deployment.class));

        assertThat(set.toFieldsV1()).isEqualTo(json("""
                {"f:apiVersion":{},"f:kind":{},
                 "f:metadata":{"f:labels":{"f:app":{}},"f:name":{}},
                 "f:spec":{"f:replicas":{},"f:selector":{},
                   "f:template":{"f:metadata":{"f:labels":{"f:app":{}}},
                     "f:spec":{"f:containers":{"k:{\\"name\\":\\"nginx\\"}":{".":{},
                       "f:env":{"k:{\\"name\\":\\"A\\"}":{".":{},"f:name":{},"f:value":{}}},
                       "f:image":{},"f:name":{},
                       "f:ports":{"k:{\\"containerPort\\":80,\\"protocol\\":\\"TCP\\"}":{".":{},"f:containerPort":{}}}}}}}}}
                """));
    }

    @Test
    void fieldsV1RoundTrips() {
        ObjectNode encoded = json("""
                {"f:data":{".":{},"f:key":{}},"f:metadata":{"f:finalizers":{"v:\\"a\\"":{}},
                 "f:ownerReferences":{"i:0":{}}}}
                """);
        FieldSet set = FieldSet.fromFieldsV1(encoded);

        assertThat(set.paths()).extracting(FieldPath::toString).containsExactlyInAnyOrder(
                ".data", ".data.key", ".metadata.finalizers[=\"a\"]", ".metadata.ownerReferences[0]");
        assertThat(set.toFieldsV1()).isEqualTo(encoded);
    }

    @Test
    void mapEntriesAreMembersButNamedFieldsAreNot() {
        FieldSet set = ObjectFields.of(yaml("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: c, annotations: {a: b}}
                data: {key: value}
                """), ApplySchema.root(V1ConfigMap.class));

        assertThat(set.paths()).extracting(FieldPath::toString).containsExactlyInAnyOrder(
                ".apiVersion", ".kind", ".metadata.name", ".metadata.annotations.a", ".data.key");
    }

    @Test
    void namedAncestorsAreAddedForPruning() {
        ApplySchema schema = ApplySchema.root(V1Deployment.class);
        FieldSet set = ObjectFields.withNamedAncestors(FieldSet.fromFieldsV1(json("""
                {"f:spec":{"f:template":{"f:spec":{"f:containers":{"k:{\\"name\\":\\"x\\"}":{"f:image":{}}}}}},
                 "f:metadata":{"f:labels":{"f:app":{}}}}
                """)), schema);

        assertThat(set.paths()).extracting(FieldPath::toString).containsExactlyInAnyOrder(
                ".spec", ".spec.template", ".spec.template.spec", ".spec.template.spec.containers",
                ".spec.template.spec.containers[name=\"x\"].image", ".metadata", ".metadata.labels",
                ".metadata.labels.app");
    }
}
