package io.platform.api.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.platform.api.errors.ApiException;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Which container a log request reads, as kube-apiserver chooses it. */
class NodeAgentClientContainerTest {

    private static final JsonNode POD = JsonMapper.builder().build().readTree("""
            {"metadata":{"annotations":{"kubectl.kubernetes.io/default-container":"sidecar"}},
             "spec":{"containers":[{"name":"app"},{"name":"sidecar"}],
                     "initContainers":[{"name":"setup"}],
                     "ephemeralContainers":[{"name":"debugger"}]}}
            """);

    @Test
    void acceptsAppInitAndEphemeralContainersByName() {
        assertThat(NodeAgentClient.container(POD, "p", "app")).isEqualTo("app");
        assertThat(NodeAgentClient.container(POD, "p", "setup")).isEqualTo("setup");
        assertThat(NodeAgentClient.container(POD, "p", "debugger")).isEqualTo("debugger");
    }

    @Test
    void defaultsToTheAnnotatedContainer() {
        assertThat(NodeAgentClient.container(POD, "p", null)).isEqualTo("sidecar");
    }

    @Test
    void refusesAnUnknownContainerAndAsksToChooseWhenThereIsNoDefault() {
        assertThatThrownBy(() -> NodeAgentClient.container(POD, "p", "nope"))
                .isInstanceOf(ApiException.class).hasMessage("container nope is not valid for pod p");
        JsonNode plain = JsonMapper.builder().build().readTree("""
                {"spec":{"containers":[{"name":"a"},{"name":"b"}],"ephemeralContainers":[{"name":"debugger"}]}}
                """);
        assertThatThrownBy(() -> NodeAgentClient.container(plain, "p", null)).isInstanceOf(ApiException.class)
                .hasMessage("a container name must be specified for pod p, choose one of: [a b]"
                        + " or one of the ephemeral containers: [debugger]");
    }
}
