package io.platform.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.platform.api.json.Json;
import io.platform.api.pki.CertificateAuthority;
import io.platform.common.pki.CertificateRequest;
import io.platform.common.pki.KeyPairs;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The subresources and server-set fields of the types added beside the skeleton's, through the real server. */
class BuiltinSubresourcesTest extends ApiServerTestSupport {

    @Test
    void evictionDeletesThePod() {
        String ns = newNamespace();
        String pods = "/api/v1/namespaces/" + ns + "/pods";
        post(pods, pod("victim", Map.of()), 201);
        Map<String, Object> eviction = Map.of("apiVersion", "policy/v1", "kind", "Eviction",
                "metadata", Map.of("name", "victim", "namespace", ns));

        ObjectNode status = post(pods + "/victim/eviction", eviction, 201);
        assertThat(status.path("kind").asString()).isEqualTo("Status");
        assertThat(status.path("status").asString()).isEqualTo("Success");
        get(pods + "/victim", 404);

        post(pods + "/victim/eviction", eviction, 404);
        post(pods, pod("other", Map.of()), 201);
        ObjectNode mismatch = post(pods + "/other/eviction", eviction, 400);
        assertThat(mismatch.path("message").asString()).contains("does not match");
    }

    @Test
    void clientCertificatesForSystemMastersAreNotRequestable() {
        String request = Base64.getEncoder().encodeToString(CertificateRequest.createPem(KeyPairs.ecP256(), "mallory",
                List.of("system:masters"), List.of(), List.of()).getBytes(StandardCharsets.US_ASCII));
        ObjectNode refused = post("/apis/certificates.k8s.io/v1/certificatesigningrequests", Map.of(
                "apiVersion", "certificates.k8s.io/v1", "kind", "CertificateSigningRequest",
                "metadata", Map.of("name", "masters"),
                "spec", Map.of("request", request, "signerName", "kubernetes.io/kube-apiserver-client",
                        "usages", List.of("client auth"))), 403);
        assertThat(refused.path("message").asString()).isEqualTo("certificatesigningrequests.certificates.k8s.io"
                + " \"masters\" is forbidden: use of kubernetes.io/kube-apiserver-client signer with system:masters"
                + " group is not allowed");
    }

    @Test
    void aRequestWhoseSignatureDoesNotVerifyIsInvalid() {
        String pem = CertificateRequest.createPem(KeyPairs.ecP256(), "mallory", List.of(), List.of(), List.of());
        String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        byte[] der = Base64.getDecoder().decode(body);
        der[der.length - 1] ^= 0x01;
        String tampered = "-----BEGIN CERTIFICATE REQUEST-----\n" + Base64.getMimeEncoder().encodeToString(der)
                + "\n-----END CERTIFICATE REQUEST-----\n";
        ObjectNode refused = post("/apis/certificates.k8s.io/v1/certificatesigningrequests", Map.of(
                "apiVersion", "certificates.k8s.io/v1", "kind", "CertificateSigningRequest",
                "metadata", Map.of("name", "tampered"),
                "spec", Map.of("request", Base64.getEncoder().encodeToString(tampered.getBytes(StandardCharsets.US_ASCII)),
                        "signerName", "example.com/any", "usages", List.of("client auth"))), 422);
        assertThat(refused.path("message").asString()).contains("spec.request")
                .contains("signature of the certificate request does not verify");
    }

    @Test
    void approvalChangesOnlyTheApprovalConditions() {
        String base = "/apis/certificates.k8s.io/v1/certificatesigningrequests";
        String request = Base64.getEncoder().encodeToString(CertificateRequest.createPem(KeyPairs.ecP256(), "approve-me",
                List.of(), List.of(), List.of()).getBytes(StandardCharsets.US_ASCII));
        ObjectNode created = post(base, Map.of("apiVersion", "certificates.k8s.io/v1", "kind", "CertificateSigningRequest",
                "metadata", Map.of("name", "approve-me"),
                "spec", Map.of("request", request, "signerName", "kubernetes.io/kube-apiserver-client",
                        "usages", List.of("client auth")),
                "status", Map.of("certificate", "Zm9v")), 201);
        assertThat(created.path("status").isEmpty()).isTrue();

        ObjectNode approving = created.deepCopy();
        approving.putObject("status").putArray("conditions").addObject()
                .put("type", "Approved").put("reason", "Test").put("message", "approved by the test");
        ((ObjectNode) approving.path("spec")).put("signerName", "changed.example.com/ignored");
        ObjectNode approved = put(base + "/approve-me/approval", approving, 200);
        JsonNode condition = approved.at("/status/conditions/0");
        assertThat(condition.path("type").asString()).isEqualTo("Approved");
        assertThat(condition.path("status").asString()).isEqualTo("True");
        assertThat(condition.path("lastUpdateTime").asString()).endsWith("Z");
        assertThat(approved.at("/spec/signerName").asString()).isEqualTo("kubernetes.io/kube-apiserver-client");

        ObjectNode both = approved.deepCopy();
        ((ArrayNode) both.at("/status/conditions")).addObject()
                .put("type", "Denied").put("status", "True");
        ObjectNode invalid = put(base + "/approve-me/approval", both, 422);
        assertThat(invalid.path("message").asString()).contains("mutually exclusive");

        ObjectNode issued = get(base + "/approve-me", 200);
        String certificate = Base64.getEncoder().encodeToString(CertificateAuthority.loadOrCreate(DATA_DIR.resolve("pki"))
                .certificatePem().getBytes(StandardCharsets.US_ASCII));
        ((ObjectNode) issued.path("status")).put("certificate", certificate);
        assertThat(put(base + "/approve-me/status", issued, 200).at("/status/certificate").asString())
                .isEqualTo(certificate);
        ObjectNode table = exchange(client().get().uri(base + "/approve-me")
                .accept(MediaType.parseMediaType("application/json;as=Table;v=v1;g=meta.k8s.io")), 200);
        assertThat(table.at("/rows/0/cells/5").asString()).isEqualTo("Approved,Issued");
        delete(base + "/approve-me", 200);
    }

    @Test
    void replicationControllersAndStatefulSetsScale() {
        String ns = newNamespace();
        Map<String, Object> template = Map.of("metadata", Map.of("labels", Map.of("app", "s")),
                "spec", Map.of("containers", List.of(Map.of("name", "main", "image", "busybox:1.36"))));
        String rcs = "/api/v1/namespaces/" + ns + "/replicationcontrollers";
        ObjectNode rc = post(rcs, Map.of("apiVersion", "v1", "kind", "ReplicationController", "metadata", Map.of("name", "rc"),
                "spec", Map.of("template", template)), 201);
        assertThat(rc.at("/spec/selector/app").asString()).isEqualTo("s");
        assertThat(rc.at("/metadata/labels/app").asString()).isEqualTo("s");
        assertThat(rc.at("/spec/replicas").asInt()).isEqualTo(1);
        ObjectNode scale = get(rcs + "/rc/scale", 200);
        assertThat(scale.at("/status/selector").asString()).isEqualTo("app=s");
        patch(rcs + "/rc/scale", "application/merge-patch+json", "{\"spec\":{\"replicas\":4}}", 200);
        assertThat(get(rcs + "/rc", 200).at("/spec/replicas").asInt()).isEqualTo(4);

        String sets = "/apis/apps/v1/namespaces/" + ns + "/statefulsets";
        ObjectNode set = post(sets, Map.of("apiVersion", "apps/v1", "kind", "StatefulSet", "metadata", Map.of("name", "db"),
                "spec", Map.of("serviceName", "db", "selector", Map.of("matchLabels", Map.of("app", "s")),
                        "template", template)), 201);
        assertThat(set.at("/spec/podManagementPolicy").asString()).isEqualTo("OrderedReady");
        assertThat(set.at("/spec/updateStrategy/rollingUpdate/partition").asInt()).isZero();
        assertThat(set.at("/metadata/generation").asInt()).isEqualTo(1);
        patch(sets + "/db/scale", "application/merge-patch+json", "{\"spec\":{\"replicas\":2}}", 200);
        ObjectNode scaled = get(sets + "/db", 200);
        assertThat(scaled.at("/spec/replicas").asInt()).isEqualTo(2);
        assertThat(scaled.at("/metadata/generation").asInt()).isEqualTo(2);

        ObjectNode renamed = scaled.deepCopy();
        ((ObjectNode) renamed.path("spec")).put("serviceName", "other");
        ObjectNode forbidden = put(sets + "/db", renamed, 422);
        assertThat(forbidden.at("/details/causes/0/field").asString()).isEqualTo("spec");
    }

    @Test
    void jobsGetAGeneratedSelectorAndKeepTheirStatusApart() {
        String ns = newNamespace();
        String jobs = "/apis/batch/v1/namespaces/" + ns + "/jobs";
        ObjectNode job = post(jobs, Map.of("apiVersion", "batch/v1", "kind", "Job", "metadata", Map.of("name", "once"),
                "spec", Map.of("template", Map.of("spec", Map.of("restartPolicy", "Never",
                        "containers", List.of(Map.of("name", "main", "image", "busybox:1.36")))))), 201);
        String uid = job.at("/metadata/uid").asString();
        assertThat(job.at("/spec/selector/matchLabels/batch.kubernetes.io~1controller-uid").asString()).isEqualTo(uid);
        assertThat(job.at("/spec/template/metadata/labels/batch.kubernetes.io~1job-name").asString()).isEqualTo("once");
        assertThat(job.at("/metadata/labels/batch.kubernetes.io~1controller-uid").asString()).isEqualTo(uid);
        assertThat(job.at("/spec/backoffLimit").asInt()).isEqualTo(6);
        assertThat(job.at("/spec/completionMode").asString()).isEqualTo("NonIndexed");

        ObjectNode withStatus = job.deepCopy();
        withStatus.putObject("status").put("succeeded", 1);
        assertThat(put(jobs + "/once", withStatus, 200).at("/status/succeeded").isMissingNode()).isTrue();
        ObjectNode current = get(jobs + "/once", 200);
        current.set("status", withStatus.get("status"));
        assertThat(put(jobs + "/once/status", current, 200).at("/status/succeeded").asInt()).isEqualTo(1);
        assertThat(get(jobs + "?fieldSelector=status.successful=1", 200).path("items").size()).isEqualTo(1);
        assertThat(get(jobs + "?fieldSelector=status.successful=0", 200).path("items").size()).isZero();

        ObjectNode always = post(jobs, Map.of("apiVersion", "batch/v1", "kind", "Job", "metadata", Map.of("name", "bad"),
                "spec", Map.of("template", Map.of("spec", Map.of("containers",
                        List.of(Map.of("name", "main", "image", "busybox:1.36")))))), 422);
        assertThat(always.at("/details/causes/0/field").asString()).isEqualTo("spec.template.spec.restartPolicy");
    }

    @Test
    void autoscalersAreOneObjectInBothVersions() {
        String ns = newNamespace();
        String v1 = "/apis/autoscaling/v1/namespaces/" + ns + "/horizontalpodautoscalers";
        String v2 = "/apis/autoscaling/v2/namespaces/" + ns + "/horizontalpodautoscalers";
        post(v2, Map.of("apiVersion", "autoscaling/v2", "kind", "HorizontalPodAutoscaler", "metadata", Map.of("name", "web"),
                "spec", Map.of("scaleTargetRef", Map.of("apiVersion", "apps/v1", "kind", "Deployment", "name", "web"),
                        "maxReplicas", 4, "metrics", List.of(
                                Map.of("type", "Resource", "resource", Map.of("name", "cpu",
                                        "target", Map.of("type", "Utilization", "averageUtilization", 60))),
                                Map.of("type", "Resource", "resource", Map.of("name", "memory",
                                        "target", Map.of("type", "AverageValue", "averageValue", "1Gi")))))), 201);

        ObjectNode asV1 = get(v1 + "/web", 200);
        assertThat(asV1.path("apiVersion").asString()).isEqualTo("autoscaling/v1");
        assertThat(asV1.at("/spec/targetCPUUtilizationPercentage").asInt()).isEqualTo(60);
        assertThat(get(v1, 200).path("items").size()).isEqualTo(1);
        ((ObjectNode) asV1.path("spec")).put("targetCPUUtilizationPercentage", 75);
        put(v1 + "/web", asV1, 200);

        ObjectNode asV2 = get(v2 + "/web", 200);
        assertThat(asV2.at("/spec/metrics/0/resource/target/averageUtilization").asInt()).isEqualTo(75);
        assertThat(asV2.at("/spec/metrics/1/resource/name").asString()).isEqualTo("memory");
        assertThat(asV2.at("/metadata/annotations").isMissingNode()).isTrue();
        assertThat(asV2.at("/metadata/generation").asInt()).isEqualTo(2);
        delete(v1 + "/web", 200);
        get(v2 + "/web", 404);
    }

    @Test
    void eventsOfBothApisAreTheSameObjects() {
        String ns = newNamespace();
        post("/apis/events.k8s.io/v1/namespaces/" + ns + "/events", Json.parseObject("""
                {"apiVersion":"events.k8s.io/v1","kind":"Event","metadata":{"name":"e1"},
                 "eventTime":"2025-01-01T00:00:00.000000Z","reportingController":"platform.io/test",
                 "reportingInstance":"t","action":"Test","reason":"Tested","type":"Normal",
                 "note":"from events.k8s.io","regarding":{"kind":"Pod","name":"p"}}""".getBytes(StandardCharsets.UTF_8)), 201);
        ObjectNode core = get("/api/v1/namespaces/" + ns + "/events/e1", 200);
        assertThat(core.path("apiVersion").asString()).isEqualTo("v1");
        assertThat(core.path("message").asString()).isEqualTo("from events.k8s.io");
        assertThat(core.at("/involvedObject/name").asString()).isEqualTo("p");
        assertThat(get("/api/v1/namespaces/" + ns + "/events?fieldSelector=involvedObject.name=p", 200)
                .path("items").size()).isEqualTo(1);

        post("/api/v1/namespaces/" + ns + "/events", Map.of("apiVersion", "v1", "kind", "Event",
                "metadata", Map.of("name", "e2"), "message", "from core", "reason", "Core",
                "involvedObject", Map.of("kind", "Pod", "name", "q")), 201);
        ObjectNode list = get("/apis/events.k8s.io/v1/namespaces/" + ns + "/events", 200);
        assertThat(list.path("items").values().stream().map(e -> e.path("note").asString()))
                .containsExactlyInAnyOrder("from events.k8s.io", "from core");
        delete("/apis/events.k8s.io/v1/namespaces/" + ns + "/events/e2", 200);
        get("/api/v1/namespaces/" + ns + "/events/e2", 404);
    }

    @Test
    void invalidObjectsAreRejectedWithTheirFields() {
        String ns = newNamespace();
        assertThat(post("/apis/batch/v1/namespaces/" + ns + "/cronjobs", Map.of("apiVersion", "batch/v1", "kind", "CronJob",
                "metadata", Map.of("name", "c"), "spec", Map.of("schedule", "61 * * * *", "jobTemplate", Map.of("spec",
                        Map.of("template", Map.of("spec", Map.of("restartPolicy", "Never",
                                "containers", List.of(Map.of("name", "m", "image", "busybox")))))))), 422)
                .at("/details/causes/0/field").asString()).isEqualTo("spec.schedule");
        assertThat(post("/apis/policy/v1/namespaces/" + ns + "/poddisruptionbudgets", Map.of("apiVersion", "policy/v1",
                "kind", "PodDisruptionBudget", "metadata", Map.of("name", "p"),
                "spec", Map.of("minAvailable", 1, "maxUnavailable", 1)), 422).at("/details/causes/0/field").asString())
                .isEqualTo("spec");
        assertThat(post("/apis/rbac.authorization.k8s.io/v1/namespaces/" + ns + "/roles", Map.of(
                "apiVersion", "rbac.authorization.k8s.io/v1", "kind", "Role", "metadata", Map.of("name", "r"),
                "rules", List.of(Map.of("resources", List.of("pods"), "verbs", List.of("get")))), 422)
                .at("/details/causes/0/field").asString()).isEqualTo("rules[0].apiGroups");
        assertThat(post("/apis/networking.k8s.io/v1/namespaces/" + ns + "/ingresses", Map.of(
                "apiVersion", "networking.k8s.io/v1", "kind", "Ingress", "metadata", Map.of("name", "i"),
                "spec", Map.of("rules", List.of(Map.of("http", Map.of("paths", List.of(Map.of("path", "/",
                        "backend", Map.of("service", Map.of("name", "web", "port", Map.of("number", 80)))))))))), 422)
                .at("/details/causes/0/field").asString()).isEqualTo("spec.rules[0].http.paths[0].pathType");
    }
}
