package io.platform.api.admission.limitranger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.platform.api.admission.AdmissionHarness;
import io.platform.api.admission.AdmissionProperties;
import io.platform.api.errors.ApiException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class LimitRangerTest {

    @TempDir
    Path dir;

    private AdmissionHarness harness;

    @BeforeEach
    void open() {
        harness = new AdmissionHarness(dir, h -> List.of(new LimitRanger(h.lookup, h.clock, AdmissionProperties.defaults())));
        harness.namespace("ns", "{}");
    }

    @AfterEach
    void close() {
        harness.close();
    }

    private static String pod(String name, String resources) {
        return "{'metadata':{'name':'" + name + "'},'spec':{'containers':[{'name':'c','image':'busybox'"
                + (resources.isEmpty() ? "" : ",'resources':" + resources) + "}]}}";
    }

    @Test
    void containerDefaultsFillWhatAPodLeavesOutAndAreNoted() {
        harness.create("limitranges", "ns", "{'metadata':{'name':'defaults'},'spec':{'limits':[{'type':'Container',"
                + "'default':{'cpu':'500m','memory':'128Mi'},'defaultRequest':{'cpu':'100m'}}]}}");
        ObjectNode bare = harness.create("pods", "ns", pod("bare", ""));
        ObjectNode partial = harness.create("pods", "ns", pod("partial", "{'limits':{'memory':'64Mi'}}"));

        JsonNode resources = bare.path("spec").path("containers").get(0).path("resources");
        assertThat(resources).isEqualTo(AdmissionHarness.json(
                "{'requests':{'cpu':'100m','memory':'128Mi'},'limits':{'cpu':'500m','memory':'128Mi'}}"));
        assertThat(bare.path("metadata").path("annotations").path("kubernetes.io/limit-ranger").asString())
                .isEqualTo("LimitRanger plugin set: cpu, memory request for container c; cpu, memory limit for container c");
        JsonNode kept = partial.path("spec").path("containers").get(0).path("resources");
        assertThat(kept.path("limits").path("memory").asString()).isEqualTo("64Mi");
        assertThat(kept.path("limits").path("cpu").asString()).isEqualTo("500m");
    }

    @Test
    void containerAndPodLimitsAreEnforcedInUpstreamsWords() {
        harness.create("limitranges", "ns", "{'metadata':{'name':'bounds'},'spec':{'limits':["
                + "{'type':'Container','max':{'cpu':'1'},'min':{'memory':'16Mi'},'maxLimitRequestRatio':{'cpu':'2'}},"
                + "{'type':'Pod','max':{'memory':'1Gi'}}]}}");

        assertThatThrownBy(() -> harness.create("pods", "ns", pod("big",
                "{'requests':{'cpu':'500m','memory':'2Gi'},'limits':{'cpu':'2','memory':'2Gi'}}")))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(403);
                    assertThat(e.getMessage()).isEqualTo("pods \"big\" is forbidden: [maximum cpu usage per Container is 1, "
                            + "but limit is 2, cpu max limit to request ratio per Container is 2, but provided ratio is "
                            + "4.000000, maximum memory usage per Pod is 1Gi, but limit is 2Gi]");
                });
        assertThatThrownBy(() -> harness.create("pods", "ns", pod("small",
                "{'requests':{'cpu':'500m','memory':'8Mi'},'limits':{'cpu':'1','memory':'8Mi'}}")))
                .hasMessage("pods \"small\" is forbidden: minimum memory usage per Container is 16Mi, but request is 8Mi");
        harness.create("pods", "ns", pod("fits", "{'requests':{'cpu':'500m','memory':'32Mi'},"
                + "'limits':{'cpu':'1','memory':'32Mi'}}"));
    }

    @Test
    void claimStorageIsBoundedByMinAndMax() {
        harness.create("limitranges", "ns", "{'metadata':{'name':'storage'},'spec':{'limits':[{'type':'PersistentVolumeClaim',"
                + "'min':{'storage':'1Gi'},'max':{'storage':'10Gi'}}]}}");
        String claim = "{'metadata':{'name':'NAME'},'spec':{'accessModes':['ReadWriteOnce'],"
                + "'resources':{'requests':{'storage':'SIZE'}}}}";
        assertThatThrownBy(() -> harness.create("persistentvolumeclaims", "ns",
                claim.replace("NAME", "huge").replace("SIZE", "20Gi")))
                .hasMessage("persistentvolumeclaims \"huge\" is forbidden: maximum storage usage per "
                        + "PersistentVolumeClaim is 10Gi, but request is 20Gi");
        assertThatThrownBy(() -> harness.create("persistentvolumeclaims", "ns",
                claim.replace("NAME", "tiny").replace("SIZE", "500Mi")))
                .hasMessage("persistentvolumeclaims \"tiny\" is forbidden: minimum storage usage per "
                        + "PersistentVolumeClaim is 1Gi, but request is 500Mi");
        harness.create("persistentvolumeclaims", "ns", claim.replace("NAME", "fine").replace("SIZE", "5Gi"));
    }
}
