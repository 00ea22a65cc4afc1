package io.platform.api.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.platform.api.errors.ApiException;
import io.platform.api.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class NodeAgentTargetTest {

    private static final JsonNode NODE = json("""
            {"metadata":{"name":"n1"},"status":{"addresses":[{"type":"Hostname","address":"host"},
            {"type":"InternalIP","address":"10.0.0.5"}],"daemonEndpoints":{"kubeletEndpoint":{"Port":10250}}}}""");

    private static JsonNode pod(String containers, String statuses) {
        return json("{\"metadata\":{\"name\":\"p\"},\"spec\":{\"nodeName\":\"n1\",\"containers\":[" + containers
                + "]},\"status\":{\"containerStatuses\":[" + statuses + "]}}");
    }

    private static JsonNode json(String text) {
        return Json.parseObject(text.getBytes(StandardCharsets.UTF_8));
    }

    private static final String RUNNING_APP = "{\"name\":\"app\",\"state\":{\"running\":{}}}";

    @Test
    void execGoesToTheKubeletPathOfTheOnlyContainerWithTheQueryPassedOn() {
        Map<String, List<String>> query = new LinkedHashMap<>();
        query.put("command", List.of("sh", "-c", "echo a b"));
        query.put("stdout", List.of("true"));

        NodeAgentTarget target = NodeAgentTarget.of(StreamKind.EXEC, pod("{\"name\":\"app\"}", RUNNING_APP), NODE, "ns",
                "p", query);

        assertThat(target.container()).isEqualTo("app");
        assertThat(target.url()).isEqualTo(
                "wss://10.0.0.5:10250/exec/ns/p/app?command=sh&command=-c&command=echo+a+b&stdout=true");
    }

    @Test
    void portForwardNamesNoContainer() {
        NodeAgentTarget target = NodeAgentTarget.of(StreamKind.PORT_FORWARD, pod("{\"name\":\"a\"},{\"name\":\"b\"}", ""),
                NODE, "ns", "p", Map.of());

        assertThat(target.url()).isEqualTo("wss://10.0.0.5:10250/portForward/ns/p");
    }

    @Test
    void severalContainersNeedOneNamed() {
        assertThatThrownBy(() -> NodeAgentTarget.of(StreamKind.EXEC, pod("{\"name\":\"a\"},{\"name\":\"b\"}", ""), NODE,
                "ns", "p", Map.of()))
                .isInstanceOf(ApiException.class)
                .hasMessage("a container name must be specified for pod p, choose one of: [a b]");
    }

    @Test
    void anUnknownContainerIsABadRequest() {
        assertThatThrownBy(() -> NodeAgentTarget.of(StreamKind.ATTACH, pod("{\"name\":\"app\"}", RUNNING_APP), NODE, "ns",
                "p", Map.of("container", List.of("nope"))))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(400))
                .hasMessage("container nope is not valid for pod p");
    }

    @Test
    void aContainerNotRunningIsABadRequest() {
        assertThatThrownBy(() -> NodeAgentTarget.of(StreamKind.EXEC, pod("{\"name\":\"app\"}",
                "{\"name\":\"app\",\"state\":{\"waiting\":{\"reason\":\"CrashLoopBackOff\"}}}"), NODE, "ns", "p", Map.of()))
                .isInstanceOf(ApiException.class)
                .hasMessage("container app is not running in pod p");
    }
}
