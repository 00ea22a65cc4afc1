package io.platform.api.patch;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.openapi.models.V1Deployment;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A client-side {@code kubectl apply} of a changed Deployment manifest: {@code patch.json} is the strategic merge
 * patch kubectl 1.32 computed and sent for {@code applied-after.yaml} against {@code live.json} (recorded with
 * {@link KubectlApplyCapture}): replicas 2 → 3, web image changed, env DEBUG deleted, containers reordered
 * with {@code $setElementOrder/containers}, last-applied annotation replaced.
 */
class KubectlApplyPatchTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

    private static ObjectNode live;
    private static JsonNode patch;
    private static ObjectNode result;

    @BeforeAll
    static void applyPatch() throws IOException {
        live = (ObjectNode) read("live.json");
        patch = read("patch.json");
        result = Patches.apply(PatchType.STRATEGIC_MERGE, live, JSON.writeValueAsBytes(patch), V1Deployment.class);
    }

    @Test
    void kubectlSentTheDirectivesThisTestIsAbout() {
        JsonNode podSpec = patch.at("/spec/template/spec");
        assertThat(podSpec.has("$setElementOrder/containers")).isTrue();
        assertThat(podSpec.at("/containers/0/env/0/$patch").stringValue()).isEqualTo("delete");
    }

    @Test
    void replicasAndAnnotationsAreUpdated() {
        assertThat(result.at("/spec/replicas").intValue()).isEqualTo(3);
        assertThat(result.at("/metadata/annotations/" + LAST_APPLIED.replace("/", "~1")).stringValue())
                .isEqualTo(patch.at("/metadata/annotations/" + LAST_APPLIED.replace("/", "~1")).stringValue())
                .contains("\"replicas\":3");
        assertThat(result.at("/metadata/annotations/deployment.kubernetes.io~1revision").stringValue()).isEqualTo("1");
        assertThat(result.at("/metadata/name").stringValue()).isEqualTo("web");
        assertThat(result.at("/metadata/uid")).isEqualTo(live.at("/metadata/uid"));
    }

    @Test
    void containersFollowTheManifestOrderAndKeepServerFields() {
        JsonNode containers = result.at("/spec/template/spec/containers");
        assertThat(names(containers)).containsExactly("sidecar", "web");
        JsonNode sidecar = containers.get(0);
        assertThat(sidecar).isEqualTo(live.at("/spec/template/spec/containers/1"));
        JsonNode web = containers.get(1);
        assertThat(web.get("image").stringValue()).isEqualTo("nginx:1.27");
        assertThat(web.get("imagePullPolicy").stringValue()).isEqualTo("IfNotPresent");
        assertThat(web.get("terminationMessagePath").stringValue()).isEqualTo("/dev/termination-log");
        assertThat(web.get("ports")).isEqualTo(live.at("/spec/template/spec/containers/0/ports"));
    }

    @Test
    void deletedEnvIsGoneAndServerAddedEnvSurvives() {
        JsonNode env = result.at("/spec/template/spec/containers/1/env");
        assertThat(names(env)).containsExactly("MODE", "REGION", "INJECTED");
        assertThat(env.get(0).get("value").stringValue()).isEqualTo("production");
        assertThat(env.get(2).get("value").stringValue()).isEqualTo("by-webhook");
    }

    @Test
    void untouchedPartsStayAsTheyWere() {
        assertThat(result.at("/spec/strategy")).isEqualTo(live.at("/spec/strategy"));
        assertThat(result.at("/spec/selector")).isEqualTo(live.at("/spec/selector"));
        assertThat(result.at("/status")).isEqualTo(live.at("/status"));
        assertThat(result.at("/spec/template/spec/dnsPolicy").stringValue()).isEqualTo("ClusterFirst");
        assertThat(result.toString()).doesNotContain("$setElementOrder", "$patch");
    }

    private static List<String> names(JsonNode list) {
        return list.valueStream().map(item -> item.get("name").stringValue()).toList();
    }

    private static JsonNode read(String file) throws IOException {
        try (InputStream in = KubectlApplyPatchTest.class.getResourceAsStream("/patch/kubectl-apply/" + file)) {
            assertThat(in).as(file).isNotNull();
            return JSON.readTree(in);
        }
    }
}
