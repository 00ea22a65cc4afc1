package io.platform.api.streams;

import io.platform.api.errors.ApiException;
import io.platform.api.kubelet.NodeAgentClient;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Where a pod's stream goes: the container (defaulted and checked as kube-apiserver does), and the kubelet URL on
 * the pod's node ({@code wss://<InternalIP>:<kubeletEndpoint port>/exec/...}).
 */
record NodeAgentTarget(String url, String container) {

    /** The query parameters the API server reads itself rather than passing on. */
    private static final List<String> NOT_FORWARDED = List.of("container");

    static NodeAgentTarget of(StreamKind kind, JsonNode pod, JsonNode node, String namespace, String podName,
            Map<String, List<String>> query) {
        String container = kind == StreamKind.PORT_FORWARD ? "" : NodeAgentClient.container(pod, podName, first(query, "container"));
        if (kind != StreamKind.PORT_FORWARD) {
            requireRunning(pod, podName, container);
        }
        StringBuilder url = new StringBuilder(NodeAgentClient.baseUrl("wss", node)).append('/').append(kind.kubeletPath()).append('/').append(encode(namespace))
                .append('/').append(encode(podName));
        if (kind != StreamKind.PORT_FORWARD) {
            url.append('/').append(encode(container));
        }
        String separator = "?";
        for (Map.Entry<String, List<String>> parameter : query.entrySet()) {
            if (NOT_FORWARDED.contains(parameter.getKey())) {
                continue;
            }
            for (String value : parameter.getValue()) {
                url.append(separator).append(encode(parameter.getKey())).append('=').append(encode(value));
                separator = "&";
            }
        }
        return new NodeAgentTarget(url.toString(), container);
    }

    /** Exec and attach need the container's process: a container not running is a 400, as the kubelet refuses it. */
    private static void requireRunning(JsonNode pod, String podName, String container) {
        if (pod.path("spec").path("nodeName").asString("").isEmpty()) {
            throw ApiException.badRequest("pod " + podName + " does not have a host assigned");
        }
        for (String statuses : List.of("containerStatuses", "initContainerStatuses", "ephemeralContainerStatuses")) {
            for (JsonNode status : pod.path("status").path(statuses)) {
                if (status.path("name").asString("").equals(container)) {
                    if (!status.path("state").has("running")) {
                        throw ApiException.badRequest("container " + container + " is not running in pod " + podName);
                    }
                    return;
                }
            }
        }
        throw ApiException.badRequest("container " + container + " in pod " + podName + " has not started yet");
    }

    private static @Nullable String first(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.getFirst();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
