package io.platform.api.table;

import static org.assertj.core.api.Assertions.assertThat;

import io.platform.api.registry.BuiltinResources;
import io.platform.api.registry.ResourceType;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class TableConverterTest {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    /** Ten minutes after the objects below were created. */
    private final TableConverter converter =
            new TableConverter(Clock.fixed(Instant.parse("2025-01-01T00:10:00Z"), ZoneOffset.UTC));

    @Test
    void runningPodRow() {
        ObjectNode table = table("", "pods", pod("""
                "status":{"phase":"Running","podIPs":[{"ip":"10.0.0.5"}],
                 "conditions":[{"type":"Ready","status":"True"}],
                 "containerStatuses":[{"name":"c","ready":true,"restartCount":0,"state":{"running":{}}}]}"""));

        assertThat(table.path("kind").asString()).isEqualTo("Table");
        assertThat(table.path("apiVersion").asString()).isEqualTo("meta.k8s.io/v1");
        assertThat(columnNames(table)).containsExactly(
                "Name", "Ready", "Status", "Restarts", "Age", "IP", "Node", "Nominated Node", "Readiness Gates");
        assertThat(priorities(table)).containsExactly(0, 0, 0, 0, 0, 1, 1, 1, 1);
        assertThat(table.at("/columnDefinitions/0/format").asString()).isEqualTo("name");
        assertThat(table.at("/columnDefinitions/0/description").asString()).contains("unique within a namespace");
        assertThat(cells(table, 0)).containsExactly("web-1", "1/1", "Running", "0", "10m", "10.0.0.5", "n1",
                "<none>", "<none>");

        JsonNode object = table.at("/rows/0/object");
        assertThat(object.path("kind").asString()).isEqualTo("PartialObjectMetadata");
        assertThat(object.path("apiVersion").asString()).isEqualTo("meta.k8s.io/v1");
        assertThat(object.at("/metadata/name").asString()).isEqualTo("web-1");
        assertThat(object.has("spec")).isFalse();
    }

    @Test
    void everyColumnIsSentAndKubectlHidesPriorityOnes() {
        ObjectNode table = converter.toTable(type("", "pods"), List.of(pod("\"status\":{\"phase\":\"Pending\"}")));
        assertThat(priorityZeroColumns(table)).containsExactly("Name", "Ready", "Status", "Restarts", "Age");
        assertThat(columnNames(table)).contains("IP", "Node");
        assertThat(cells(table, 0)).startsWith("web-1", "0/1", "Pending", "0", "10m");
    }

    @Test
    void podStatusFollowsContainerStates() {
        assertThat(status("""
                "status":{"phase":"Pending","containerStatuses":[{"name":"c","restartCount":4,
                 "state":{"waiting":{"reason":"CrashLoopBackOff"}},
                 "lastState":{"terminated":{"exitCode":1,"finishedAt":"2025-01-01T00:07:00Z"}}}]}"""))
                .containsExactly("0/1", "CrashLoopBackOff", "4 (3m ago)");
        assertThat(status("""
                "status":{"phase":"Succeeded","containerStatuses":[{"name":"c",
                 "state":{"terminated":{"exitCode":0,"reason":"Completed"}}}]}"""))
                .containsExactly("0/1", "Completed", "0");
        assertThat(status("""
                "status":{"phase":"Failed","containerStatuses":[{"name":"c",
                 "state":{"terminated":{"exitCode":137}}}]}"""))
                .containsExactly("0/1", "ExitCode:137", "0");
        assertThat(status("""
                "status":{"phase":"Pending","reason":"","conditions":[{"type":"PodScheduled","status":"False",
                 "reason":"SchedulingGated"}]}"""))
                .containsExactly("0/1", "SchedulingGated", "0");
    }

    @Test
    void podWithDeletionTimestampIsTerminating() {
        JsonNode pod = pod("""
                "status":{"phase":"Running","containerStatuses":[{"name":"c","ready":true,"state":{"running":{}}}]}""");
        ((ObjectNode) pod.get("metadata")).put("deletionTimestamp", "2025-01-01T00:09:00Z");
        assertThat(cells(table("", "pods", pod), 0).get(2)).isEqualTo("Terminating");
    }

    @Test
    void initContainersShowProgress() {
        String init = """
                "spec":{"nodeName":"n1","initContainers":[{"name":"setup","image":"i"}],
                        "containers":[{"name":"c","image":"i"}]},""";
        assertThat(cells(table("", "pods", pod(init + """
                "status":{"phase":"Pending","initContainerStatuses":[{"name":"setup","state":{"running":{}}}],
                 "containerStatuses":[{"name":"c","state":{"waiting":{"reason":"PodInitializing"}}}]}""")), 0)
                .subList(1, 3)).containsExactly("0/1", "Init:0/1");
        assertThat(cells(table("", "pods", pod(init + """
                "status":{"phase":"Pending","initContainerStatuses":[{"name":"setup",
                 "state":{"waiting":{"reason":"ImagePullBackOff"}}}]}""")), 0).get(2))
                .isEqualTo("Init:ImagePullBackOff");
        assertThat(cells(table("", "pods", pod(init + """
                "status":{"phase":"Pending","initContainerStatuses":[{"name":"setup",
                 "state":{"terminated":{"exitCode":2}}}]}""")), 0).get(2))
                .isEqualTo("Init:ExitCode:2");
    }

    @Test
    void sidecarsCountAsContainers() {
        JsonNode pod = pod("""
                "spec":{"initContainers":[{"name":"proxy","image":"i","restartPolicy":"Always"}],
                        "containers":[{"name":"c","image":"i"}]},
                "status":{"phase":"Running","conditions":[{"type":"Initialized","status":"True"}],
                 "initContainerStatuses":[{"name":"proxy","started":true,"ready":true,"state":{"running":{}}}],
                 "containerStatuses":[{"name":"c","ready":true,"state":{"running":{}}}]}""");
        assertThat(cells(table("", "pods", pod), 0).subList(1, 3)).containsExactly("2/2", "Running");
    }

    @Test
    void finishedPodsCarryACompletedCondition() {
        ObjectNode table = table("", "pods", pod("\"status\":{\"phase\":\"Succeeded\"}"));
        assertThat(table.at("/rows/0/conditions/0/type").asString()).isEqualTo("Completed");
        assertThat(table.at("/rows/0/conditions/0/reason").asString()).isEqualTo("Succeeded");
    }

    @Test
    void deploymentRow() {
        ObjectNode table = table("apps", "deployments", json("""
                {"metadata":{"name":"web","creationTimestamp":"2024-12-30T00:00:00Z"},
                 "spec":{"replicas":3,"selector":{"matchLabels":{"app":"web"},
                   "matchExpressions":[{"key":"tier","operator":"In","values":["b","a"]}]},
                  "template":{"spec":{"containers":[{"name":"web","image":"nginx"},{"name":"log","image":"busybox"}]}}},
                 "status":{"readyReplicas":2,"updatedReplicas":3,"availableReplicas":2}}"""));
        assertThat(columnNames(table)).containsExactly(
                "Name", "Ready", "Up-to-date", "Available", "Age", "Containers", "Images", "Selector");
        assertThat(cells(table, 0)).containsExactly(
                "web", "2/3", 3L, 2L, "2d", "web,log", "nginx,busybox", "app=web,tier in (a,b)");
    }

    @Test
    void replicaSetRow() {
        ObjectNode table = table("apps", "replicasets", json("""
                {"metadata":{"name":"web-abc","creationTimestamp":"2025-01-01T00:09:55Z"},
                 "spec":{"replicas":2,"template":{"spec":{"containers":[{"name":"web","image":"nginx"}]}}},
                 "status":{"replicas":2,"readyReplicas":1}}"""));
        assertThat(columnNames(table)).containsExactly(
                "Name", "Desired", "Current", "Ready", "Age", "Containers", "Images", "Selector");
        assertThat(cells(table, 0)).containsExactly("web-abc", 2L, 2L, 1L, "5s", "web", "nginx", "<none>");
    }

    @Test
    void nodeRow() {
        ObjectNode table = table("", "nodes", json("""
                {"metadata":{"name":"n1","creationTimestamp":"2025-01-01T00:00:00Z",
                  "labels":{"node-role.kubernetes.io/control-plane":"","kubernetes.io/role":"worker"}},
                 "spec":{"unschedulable":true},
                 "status":{"conditions":[{"type":"MemoryPressure","status":"False"},{"type":"Ready","status":"True"}],
                  "addresses":[{"type":"InternalIP","address":"192.168.1.5"},{"type":"Hostname","address":"n1"}],
                  "nodeInfo":{"kubeletVersion":"v1.32.4","osImage":"Debian GNU/Linux 12"}}}"""));
        assertThat(columnNames(table)).containsExactly("Name", "Status", "Roles", "Age", "Version", "Internal-IP",
                "External-IP", "OS-Image", "Kernel-Version", "Container-Runtime");
        assertThat(cells(table, 0)).containsExactly("n1", "Ready,SchedulingDisabled", "control-plane,worker", "10m",
                "v1.32.4", "192.168.1.5", "<none>", "Debian GNU/Linux 12", "<unknown>", "<unknown>");
    }

    @Test
    void serviceRow() {
        ObjectNode table = table("", "services", json("""
                {"metadata":{"name":"web","creationTimestamp":"2025-01-01T00:00:00Z"},
                 "spec":{"type":"NodePort","clusterIP":"10.96.0.10","clusterIPs":["10.96.0.10"],
                  "ports":[{"port":80,"nodePort":30080,"protocol":"TCP"},{"port":53,"protocol":"UDP"}],
                  "selector":{"app":"web"}}}"""));
        assertThat(columnNames(table))
                .containsExactly("Name", "Type", "Cluster-IP", "External-IP", "Port(s)", "Age", "Selector");
        assertThat(cells(table, 0))
                .containsExactly("web", "NodePort", "10.96.0.10", "<none>", "80:30080/TCP,53/UDP", "10m", "app=web");
        assertThat(cells(table("", "services", json("""
                {"metadata":{"name":"lb"},"spec":{"type":"LoadBalancer","ports":[{"port":443}]}}""")), 0))
                .containsExactly("lb", "LoadBalancer", "<none>", "<pending>", "443/TCP", "<unknown>", "<none>");
    }

    @Test
    void eventRow() {
        ObjectNode table = table("", "events", json("""
                {"metadata":{"name":"web-1.17a","creationTimestamp":"2025-01-01T00:00:00Z"},
                 "involvedObject":{"kind":"Pod","name":"web-1","fieldPath":"spec.containers{c}"},
                 "reason":"Pulled","message":"Container image pulled\\n","type":"Normal","count":3,
                 "source":{"component":"kubelet","host":"n1"},
                 "firstTimestamp":"2025-01-01T00:00:00Z","lastTimestamp":"2025-01-01T00:09:30Z"}"""));
        assertThat(columnNames(table)).containsExactly("Last Seen", "Type", "Reason", "Object", "Subobject",
                "Source", "Message", "First Seen", "Count", "Name");
        assertThat(cells(table, 0)).containsExactly("30s", "Normal", "Pulled", "pod/web-1", "spec.containers{c}",
                "kubelet, n1", "Container image pulled", "10m", 3L, "web-1.17a");
        ObjectNode narrow = converter.toTable(type("", "events"), List.of(json("""
                {"metadata":{"name":"e"},"involvedObject":{"kind":"Node"},"reason":"R","type":"Warning",
                 "eventTime":"2025-01-01T00:08:00.000000Z","message":"m"}""")));
        assertThat(columnNames(narrow)).hasSize(10);
        assertThat(priorityZeroColumns(narrow)).containsExactly("Last Seen", "Type", "Reason", "Object", "Message");
        assertThat(cells(narrow, 0)).startsWith("2m", "Warning", "R", "node");
    }

    @Test
    void smallerCoreTypes() {
        assertThat(cells(table("", "namespaces", json("""
                {"metadata":{"name":"default","creationTimestamp":"2025-01-01T00:00:00Z"},
                 "status":{"phase":"Active"}}""")), 0)).containsExactly("default", "Active", "10m");
        assertThat(cells(table("", "configmaps", json("""
                {"metadata":{"name":"c","creationTimestamp":"2025-01-01T00:00:00Z"},
                 "data":{"a":"1","b":"2"},"binaryData":{"c":"AA=="}}""")), 0)).containsExactly("c", 3L, "10m");
        assertThat(cells(table("", "secrets", json("""
                {"metadata":{"name":"s","creationTimestamp":"2025-01-01T00:00:00Z"},
                 "type":"Opaque","data":{"a":"MQ=="}}""")), 0)).containsExactly("s", "Opaque", 1L, "10m");
        assertThat(cells(table("", "serviceaccounts", json("""
                {"metadata":{"name":"default","creationTimestamp":"2025-01-01T00:00:00Z"}}""")), 0))
                .containsExactly("default", 0L, "10m");
        assertThat(cells(table("coordination.k8s.io", "leases", json("""
                {"metadata":{"name":"scheduler","creationTimestamp":"2025-01-01T00:00:00Z"},
                 "spec":{"holderIdentity":"node-1_abc"}}""")), 0)).containsExactly("scheduler", "node-1_abc", "10m");
    }

    @Test
    void typesWithoutAPrinterGetNameAndCreationTime() {
        ResourceType widget = new ResourceType("example.com", "v1", "Widget", "widgets", "widget", true,
                List.of(), List.of(), Set.of(), io.fabric8.kubernetes.api.model.Pod.class);
        ObjectNode table = converter.toTable(widget, List.of(json("""
                {"metadata":{"name":"w","creationTimestamp":"2025-01-01T00:00:00.5Z"}}""")));
        assertThat(columnNames(table)).containsExactly("Name", "Created At");
        assertThat(cells(table, 0)).containsExactly("w", "2025-01-01T00:00:00Z");
    }

    @Test
    void emptyListsGiveColumnsAndNoRows() {
        ObjectNode table = converter.toTable(type("apps", "deployments"), List.of());
        assertThat(table.path("rows").size()).isZero();
        assertThat(table.path("columnDefinitions").size()).isEqualTo(8);
    }

    private List<Object> status(String status) {
        return cells(table("", "pods", pod(status)), 0).subList(1, 4);
    }

    private ObjectNode table(String group, String plural, JsonNode object) {
        return converter.toTable(type(group, plural), List.of(object));
    }

    private static JsonNode pod(String rest) {
        String spec = rest.contains("\"spec\"")
                ? ""
                : "\"spec\":{\"nodeName\":\"n1\",\"containers\":[{\"name\":\"c\",\"image\":\"nginx\"}]},";
        return json("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"web-1\",\"namespace\":\"default\","
                + "\"creationTimestamp\":\"2025-01-01T00:00:00Z\"}," + spec + rest + "}");
    }

    private static ResourceType type(String group, String plural) {
        return BuiltinResources.find(group, "v1", plural).orElseThrow();
    }

    private static List<String> columnNames(JsonNode table) {
        List<String> names = new ArrayList<>();
        table.path("columnDefinitions").values().forEach(c -> names.add(c.path("name").asString()));
        return names;
    }

    private static List<String> priorityZeroColumns(JsonNode table) {
        List<String> names = new ArrayList<>();
        table.path("columnDefinitions").values().stream().filter(c -> c.path("priority").asInt() == 0)
                .forEach(c -> names.add(c.path("name").asString()));
        return names;
    }

    private static List<Integer> priorities(JsonNode table) {
        List<Integer> priorities = new ArrayList<>();
        table.path("columnDefinitions").values().forEach(c -> priorities.add(c.path("priority").asInt()));
        return priorities;
    }

    private static List<Object> cells(JsonNode table, int row) {
        List<Object> cells = new ArrayList<>();
        table.path("rows").get(row).path("cells").values().forEach(c -> cells.add(c.isNumber() ? (Object) c.asLong()
                : c.isBoolean() ? (Object) c.asBoolean() : c.asString()));
        return cells;
    }

    private static JsonNode json(String text) {
        return MAPPER.readTree(text);
    }
}
