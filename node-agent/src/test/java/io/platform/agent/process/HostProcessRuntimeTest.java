package io.platform.agent.process;

import static org.assertj.core.api.Assertions.assertThat;

/** The process runtime without isolation ({@code isolate=false}, as without root): plain host processes. */
class HostProcessRuntimeTest extends ProcessRuntimeScenarios {

    @Override
    boolean isolate() {
        return false;
    }

    @Override
    void assertPodAddress(String podIp) {
        // the node's network: the pod's address is the node's
        assertThat(podIp).isEqualTo("127.0.0.1");
    }
}
