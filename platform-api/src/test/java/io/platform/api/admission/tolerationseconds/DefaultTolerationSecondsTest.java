package io.platform.api.admission.tolerationseconds;

import static org.assertj.core.api.Assertions.assertThat;

import io.platform.api.admission.AdmissionHarness;
import io.platform.api.admission.AdmissionProperties;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

class DefaultTolerationSecondsTest {

    @TempDir
    Path dir;

    private AdmissionHarness harness;

    @BeforeEach
    void open() {
        AdmissionProperties properties = new AdmissionProperties(List.of(), Duration.ofSeconds(30), Duration.ofSeconds(30), 300,
                120);
        harness = new AdmissionHarness(dir, h -> List.of(new DefaultTolerationSeconds(properties)));
        harness.namespace("ns", "{}");
    }

    @AfterEach
    void close() {
        harness.close();
    }

    @Test
    void podsTolerateLostNodesForTheConfiguredSecondsUnlessTheyAlreadyDo() {
        ObjectNode plain = harness.create("pods", "ns", "{'metadata':{'name':'plain'},'spec':{'containers':[{'name':'c','image':'busybox'}]}}");
        ObjectNode own = harness.create("pods", "ns", "{'metadata':{'name':'own'},'spec':{'containers':[{'name':'c','image':'busybox'}],"
                + "'tolerations':[{'key':'node.kubernetes.io/unreachable','operator':'Exists','effect':'NoExecute','tolerationSeconds':5}]}}");

        assertThat(plain.path("spec").path("tolerations")).containsExactly(
                AdmissionHarness.json("{'key':'node.kubernetes.io/not-ready','operator':'Exists','effect':'NoExecute','tolerationSeconds':300}"),
                AdmissionHarness.json("{'key':'node.kubernetes.io/unreachable','operator':'Exists','effect':'NoExecute','tolerationSeconds':120}"));
        assertThat(own.path("spec").path("tolerations")).hasSize(2);
        assertThat(own.path("spec").path("tolerations").get(0).path("tolerationSeconds").asLong()).isEqualTo(5);
        assertThat(own.path("spec").path("tolerations").get(1).path("key").asString()).isEqualTo("node.kubernetes.io/not-ready");
    }
}
