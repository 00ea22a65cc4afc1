package io.platform.api.admission.priority;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.platform.api.admission.AdmissionHarness;
import io.platform.api.errors.ApiException;
import io.platform.api.resource.ManagedFieldsTracker;
import io.platform.api.resource.WriteContext;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

class PriorityAdmissionTest {

    @TempDir
    Path dir;

    private AdmissionHarness harness;

    @BeforeEach
    void open() {
        harness = new AdmissionHarness(dir, h -> List.of(new PriorityAdmission(h.lookup)));
        harness.namespace("ns", "{}");
    }

    @AfterEach
    void close() {
        harness.close();
    }

    private ObjectNode pod(String name, String specExtra) {
        return harness.create("pods", "ns", "{'metadata':{'name':'" + name + "'},'spec':{" + specExtra
                + "'containers':[{'name':'c','image':'busybox'}]}}");
    }

    private void priorityClass(String name, int value, boolean globalDefault) {
        harness.storage.create(AdmissionHarness.type("scheduling.k8s.io", "priorityclasses"), null,
                AdmissionHarness.json("{'apiVersion':'scheduling.k8s.io/v1','kind':'PriorityClass','metadata':{'name':'"
                        + name + "'},'value':" + value + ",'globalDefault':" + globalDefault + "}"),
                false, ManagedFieldsTracker.UNTRACKED, WriteContext.of(AdmissionHarness.USER));
    }

    @Test
    void classesResolveToTheirValueAndTheGlobalDefaultAppliesToPodsWithout() {
        assertThat(pod("none", "").path("spec").path("priority").asLong()).isZero();
        assertThat(pod("critical", "'priorityClassName':'system-node-critical',").path("spec").path("priority").asLong())
                .isEqualTo(2_000_001_000L);

        priorityClass("high", 1000, false);
        priorityClass("fallback", 10, true);
        ObjectNode high = pod("high", "'priorityClassName':'high',");
        assertThat(high.path("spec").path("priority").asLong()).isEqualTo(1000);
        assertThat(high.path("spec").path("preemptionPolicy").asString()).isEqualTo("PreemptLowerPriority");
        ObjectNode defaulted = pod("defaulted", "");
        assertThat(defaulted.path("spec").path("priorityClassName").asString()).isEqualTo("fallback");
        assertThat(defaulted.path("spec").path("priority").asLong()).isEqualTo(10);

        assertThatThrownBy(() -> priorityClass("second-default", 5, true))
                .hasMessage("priorityclasses.scheduling.k8s.io \"second-default\" is forbidden: PriorityClass fallback "
                        + "is already marked as default. Only one default can exist");
    }

    @Test
    void unknownClassesAndHandWrittenPrioritiesAreForbidden() {
        assertThatThrownBy(() -> pod("unknown", "'priorityClassName':'gold',"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(403);
                    assertThat(e.getMessage()).isEqualTo("pods \"unknown\" is forbidden: no PriorityClass with name gold was found");
                });
        assertThatThrownBy(() -> pod("sneaky", "'priority':1000000,"))
                .hasMessage("pods \"sneaky\" is forbidden: the integer value of priority (1000000) must not be provided "
                        + "in pod spec; priority admission controller computed 0 from the given PriorityClass name");
    }
}
