package io.platform.api.table;

import io.kubernetes.client.openapi.models.CoreV1Event;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1DeploymentSpec;
import io.kubernetes.client.openapi.models.V1DeploymentStatus;
import io.kubernetes.client.openapi.models.V1LeaseSpec;
import io.kubernetes.client.openapi.models.V1NodeStatus;
import io.kubernetes.client.openapi.models.V1NodeSystemInfo;
import io.kubernetes.client.openapi.models.V1ObjectReference;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1PodStatus;
import io.kubernetes.client.openapi.models.V1ReplicaSetSpec;
import io.kubernetes.client.openapi.models.V1ReplicaSetStatus;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.kubernetes.client.openapi.models.V1ServiceSpec;
import io.platform.api.conversion.EventConversion;
import io.platform.api.registry.ResourceType;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Converts objects to a {@code meta.k8s.io/v1} Table with the columns and cell values of kube-apiserver's
 * printers, which is what {@code kubectl get} shows; each row carries the object's metadata as a
 * {@code PartialObjectMetadata}. Ages are Kubernetes' human durations from the injected clock.
 */
public final class TableConverter {

    public static final String CONTENT_TYPE = "application/json;as=Table;v=v1;g=meta.k8s.io";

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final Clock clock;
    private final Map<String, Printer> printers;
    private final Printer defaultPrinter;

    public TableConverter(Clock clock) {
        this.clock = clock;
        Map<String, Printer> all = new HashMap<>(Map.ofEntries(
                Map.entry("/pods", pods()),
                Map.entry("/nodes", nodes()),
                Map.entry("/namespaces", namespaces()),
                Map.entry("/services", services()),
                Map.entry("/configmaps", configMaps()),
                Map.entry("/secrets", secrets()),
                Map.entry("/events", events()),
                Map.entry("events.k8s.io/events", eventsV1(events())),
                Map.entry("/serviceaccounts", serviceAccounts()),
                Map.entry("apps/deployments", deployments()),
                Map.entry("apps/replicasets", replicaSets()),
                Map.entry("coordination.k8s.io/leases", leases())));
        CorePrinters.register(all);
        AppsPrinters.register(all);
        AutoscalingPrinters.register(all);
        BatchPrinters.register(all);
        NetworkingPrinters.register(all);
        PolicyPrinters.register(all);
        RbacPrinters.register(all);
        StoragePrinters.register(all);
        ClusterPrinters.register(all);
        this.printers = Map.copyOf(all);
        // kube-apiserver's default table for types without a printer
        this.defaultPrinter = new Printer(List.of(Column.name(0), Column.createdAt()),
                (o, now) -> List.of(Cells.name(o), Cells.createdAt(o)));
    }

    /**
     * The Table of {@code objects} with every column, as kube-apiserver prints it: kubectl hides the priority-1
     * columns unless asked for {@code -o wide}. The caller sets {@code metadata.resourceVersion} and
     * {@code metadata.continue} of the list.
     */
    public ObjectNode toTable(ResourceType type, List<? extends JsonNode> objects) {
        Printer printer = printers.getOrDefault(type.group() + "/" + type.plural(), defaultPrinter);
        Instant now = clock.instant();
        ObjectNode table = JSON.objectNode();
        table.put("kind", "Table");
        table.put("apiVersion", "meta.k8s.io/v1");
        table.putObject("metadata");
        ArrayNode columns = table.putArray("columnDefinitions");
        printer.columns().forEach(c -> columns.add(c.toJson()));
        ArrayNode rows = table.putArray("rows");
        for (JsonNode object : objects) {
            ObjectNode row = rows.addObject();
            ArrayNode cells = row.putArray("cells");
            List<?> values = printer.cells().apply(object, now);
            values.forEach(value -> addCell(cells, value));
            completedCondition(type, object).ifPresent(condition -> row.putArray("conditions").add(condition));
            ObjectNode partial = row.putObject("object");
            partial.put("kind", "PartialObjectMetadata");
            partial.put("apiVersion", "meta.k8s.io/v1");
            partial.set("metadata", object.path("metadata").isObject() ? object.get("metadata").deepCopy() : JSON.objectNode());
        }
        return table;
    }

    private static void addCell(ArrayNode cells, Object value) {
        switch (value) {
            case Long number -> cells.add(number);
            case Integer number -> cells.add(number.longValue());
            case Boolean bool -> cells.add(bool);
            default -> cells.add(String.valueOf(value));
        }
    }

    /** As kube-apiserver: finished pods carry a Completed row condition. */
    private static Optional<ObjectNode> completedCondition(ResourceType type, JsonNode object) {
        if (!type.group().isEmpty() || !type.plural().equals("pods")) {
            return Optional.empty();
        }
        String phase = Json.text(object, "status", "phase");
        if (!phase.equals("Succeeded") && !phase.equals("Failed")) {
            return Optional.empty();
        }
        ObjectNode condition = JSON.objectNode();
        condition.put("type", "Completed");
        condition.put("status", "True");
        condition.put("reason", phase);
        condition.put("message", phase.equals("Succeeded") ? "The pod has completed successfully." : "The pod failed.");
        return Optional.of(condition);
    }

    private Printer pods() {
        return new Printer(List.of(
                Column.name(0),
                Column.of("Ready", "string", "How many of the pod's containers are ready, out of all of them.", 0),
                Column.of("Status", "string", "The pod's status as its containers sum it up.", 0),
                Column.of("Restarts", "string", "How often the pod's containers restarted, and how long ago the last did.", 0),
                Column.age(),
                Column.of("IP", "string", Column.describe(V1PodStatus.class, "podIP"), 1),
                Column.of("Node", "string", Column.describe(V1PodSpec.class, "nodeName"), 1),
                Column.of("Nominated Node", "string", Column.describe(V1PodStatus.class, "nominatedNodeName"), 1),
                Column.of("Readiness Gates", "string", Column.describe(V1PodSpec.class, "readinessGates"), 1)),
                (pod, now) -> {
                    PodSummary summary = PodSummary.of(pod);
                    String restarts = String.valueOf(summary.restarts());
                    if (summary.restarts() != 0 && summary.lastRestart().isPresent()) {
                        restarts += " (" + Cells.since(summary.lastRestart(), now) + " ago)";
                    }
                    List<JsonNode> podIPs = Json.array(pod, "status", "podIPs");
                    String ip = podIPs.isEmpty() ? Json.text(pod, "status", "podIP") : Json.text(podIPs.getFirst(), "ip");
                    return List.of(Cells.name(pod), summary.ready() + "/" + summary.total(), summary.status(), restarts,
                            Cells.age(pod, now), Cells.orNone(ip), Cells.orNone(Json.text(pod, "spec", "nodeName")),
                            Cells.orNone(Json.text(pod, "status", "nominatedNodeName")), readinessGates(pod));
                });
    }

    private static String readinessGates(JsonNode pod) {
        List<JsonNode> gates = Json.array(pod, "spec", "readinessGates");
        if (gates.isEmpty()) {
            return Cells.NONE;
        }
        int satisfied = 0;
        for (JsonNode gate : gates) {
            String type = Json.text(gate, "conditionType");
            for (JsonNode condition : Json.array(pod, "status", "conditions")) {
                if (Json.text(condition, "type").equals(type)) {
                    if (Json.text(condition, "status").equals("True")) {
                        satisfied++;
                    }
                    break;
                }
            }
        }
        return satisfied + "/" + gates.size();
    }

    private Printer deployments() {
        return new Printer(List.of(
                Column.name(0),
                Column.of("Ready", "string", "Ready replicas out of the desired ones.", 0),
                Column.of("Up-to-date", "string", Column.describe(V1DeploymentStatus.class, "updatedReplicas"), 0),
                Column.of("Available", "string", Column.describe(V1DeploymentStatus.class, "availableReplicas"), 0),
                Column.age(),
                Column.containers(),
                Column.images(),
                Column.of("Selector", "string", Column.describe(V1DeploymentSpec.class, "selector"), 1)),
                (deployment, now) -> List.of(Cells.name(deployment),
                        Json.number(deployment, "status", "readyReplicas") + "/"
                                + Json.number(deployment, "spec", "replicas"),
                        Json.number(deployment, "status", "updatedReplicas"),
                        Json.number(deployment, "status", "availableReplicas"),
                        Cells.age(deployment, now),
                        Cells.containerNames(deployment),
                        Cells.containerImages(deployment),
                        LabelSelectors.format(Json.at(deployment, "spec", "selector"))));
    }

    private Printer replicaSets() {
        return new Printer(List.of(
                Column.name(0),
                Column.of("Desired", "integer", Column.describe(V1ReplicaSetSpec.class, "replicas"), 0),
                Column.of("Current", "integer", Column.describe(V1ReplicaSetStatus.class, "replicas"), 0),
                Column.of("Ready", "integer", Column.describe(V1ReplicaSetStatus.class, "readyReplicas"), 0),
                Column.age(),
                Column.containers(),
                Column.images(),
                Column.of("Selector", "string", Column.describe(V1ReplicaSetSpec.class, "selector"), 1)),
                (replicaSet, now) -> List.of(Cells.name(replicaSet),
                        Json.number(replicaSet, "spec", "replicas"),
                        Json.number(replicaSet, "status", "replicas"),
                        Json.number(replicaSet, "status", "readyReplicas"),
                        Cells.age(replicaSet, now),
                        Cells.containerNames(replicaSet),
                        Cells.containerImages(replicaSet),
                        LabelSelectors.formatOrNone(Json.at(replicaSet, "spec", "selector"))));
    }

    private Printer nodes() {
        return new Printer(List.of(
                Column.name(0),
                Column.of("Status", "string", "The node's readiness, and whether scheduling onto it is disabled.", 0),
                Column.of("Roles", "string", "The node's roles, from its node-role.kubernetes.io/ labels.", 0),
                Column.age(),
                Column.of("Version", "string", Column.describe(V1NodeSystemInfo.class, "kubeletVersion"), 0),
                Column.of("Internal-IP", "string", Column.describe(V1NodeStatus.class, "addresses"), 1),
                Column.of("External-IP", "string", Column.describe(V1NodeStatus.class, "addresses"), 1),
                Column.of("OS-Image", "string", Column.describe(V1NodeSystemInfo.class, "osImage"), 1),
                Column.of("Kernel-Version", "string", Column.describe(V1NodeSystemInfo.class, "kernelVersion"), 1),
                Column.of("Container-Runtime", "string", Column.describe(V1NodeSystemInfo.class, "containerRuntimeVersion"), 1)),
                (node, now) -> List.of(Cells.name(node), nodeStatus(node), nodeRoles(node), Cells.age(node, now),
                        Json.text(node, "status", "nodeInfo", "kubeletVersion"),
                        nodeAddress(node, "InternalIP"), nodeAddress(node, "ExternalIP"),
                        Cells.orUnknown(Json.text(node, "status", "nodeInfo", "osImage")),
                        Cells.orUnknown(Json.text(node, "status", "nodeInfo", "kernelVersion")),
                        Cells.orUnknown(Json.text(node, "status", "nodeInfo", "containerRuntimeVersion"))));
    }

    private static String nodeStatus(JsonNode node) {
        List<String> status = new ArrayList<>();
        for (JsonNode condition : Json.array(node, "status", "conditions")) {
            if (Json.text(condition, "type").equals("Ready")) {
                status.clear();
                status.add(Json.text(condition, "status").equals("True") ? "Ready" : "NotReady");
            }
        }
        if (status.isEmpty()) {
            status.add("Unknown");
        }
        if (Json.bool(node, "spec", "unschedulable")) {
            status.add("SchedulingDisabled");
        }
        return String.join(",", status);
    }

    private static String nodeRoles(JsonNode node) {
        TreeSet<String> roles = new TreeSet<>();
        Json.at(node, "metadata", "labels").properties().forEach(label -> {
            String key = label.getKey();
            if (key.startsWith("node-role.kubernetes.io/") && key.length() > "node-role.kubernetes.io/".length()) {
                roles.add(key.substring("node-role.kubernetes.io/".length()));
            } else if (key.equals("kubernetes.io/role") && !label.getValue().asString().isEmpty()) {
                roles.add(label.getValue().asString());
            }
        });
        return roles.isEmpty() ? Cells.NONE : String.join(",", roles);
    }

    private static String nodeAddress(JsonNode node, String type) {
        return Json.array(node, "status", "addresses").stream()
                .filter(a -> Json.text(a, "type").equals(type))
                .map(a -> Json.text(a, "address"))
                .findFirst()
                .orElse(Cells.NONE);
    }

    private Printer namespaces() {
        return new Printer(List.of(
                Column.name(0),
                Column.of("Status", "string", "The phase of the namespace: Active or Terminating.", 0),
                Column.age()),
                (namespace, now) -> List.of(Cells.name(namespace), Json.text(namespace, "status", "phase"), Cells.age(namespace, now)));
    }

    private Printer services() {
        return new Printer(List.of(
                Column.name(0),
                Column.of("Type", "string", Column.describe(V1ServiceSpec.class, "type"), 0),
                Column.of("Cluster-IP", "string", Column.describe(V1ServiceSpec.class, "clusterIP"), 0),
                Column.of("External-IP", "string", Column.describe(V1ServiceSpec.class, "externalIPs"), 0),
                Column.of("Port(s)", "string", Column.describe(V1ServiceSpec.class, "ports"), 0),
                Column.age(),
                Column.of("Selector", "string", Column.describe(V1ServiceSpec.class, "selector"), 1)),
                (service, now) -> {
                    List<JsonNode> clusterIPs = Json.array(service, "spec", "clusterIPs");
                    String clusterIP = clusterIPs.isEmpty()
                            ? Json.text(service, "spec", "clusterIP")
                            : clusterIPs.getFirst().asString();
                    String ports = servicePorts(service);
                    return List.of(Cells.name(service), serviceType(service), Cells.orNone(clusterIP), externalIP(service),
                            ports.isEmpty() ? Cells.NONE : ports, Cells.age(service, now),
                            LabelSelectors.formatLabels(Json.at(service, "spec", "selector")));
                });
    }

    /** Defaulting makes every stored service ClusterIP unless it says otherwise. */
    private static String serviceType(JsonNode service) {
        String type = Json.text(service, "spec", "type");
        return type.isEmpty() ? "ClusterIP" : type;
    }

    private static String externalIP(JsonNode service) {
        List<String> externalIPs = Json.array(service, "spec", "externalIPs").stream().map(JsonNode::asString).toList();
        return switch (serviceType(service)) {
            case "ClusterIP", "NodePort" -> externalIPs.isEmpty() ? Cells.NONE : String.join(",", externalIPs);
            case "LoadBalancer" -> {
                TreeSet<String> ingress = new TreeSet<>();
                for (JsonNode entry : Json.array(service, "status", "loadBalancer", "ingress")) {
                    String address = Json.text(entry, "ip").isEmpty() ? Json.text(entry, "hostname") : Json.text(entry, "ip");
                    if (!address.isEmpty()) {
                        ingress.add(address);
                    }
                }
                List<String> all = new ArrayList<>(ingress);
                all.addAll(externalIPs);
                yield all.isEmpty() ? "<pending>" : String.join(",", all);
            }
            case "ExternalName" -> Json.text(service, "spec", "externalName");
            default -> Cells.UNKNOWN;
        };
    }

    private static String servicePorts(JsonNode service) {
        List<String> pieces = new ArrayList<>();
        for (JsonNode port : Json.array(service, "spec", "ports")) {
            // defaulting sets TCP when a port names no protocol
            String protocol = Json.text(port, "protocol").isEmpty() ? "TCP" : Json.text(port, "protocol");
            long nodePort = Json.number(port, "nodePort");
            pieces.add(Json.number(port, "port") + (nodePort > 0 ? ":" + nodePort : "") + "/" + protocol);
        }
        return String.join(",", pieces);
    }

    private Printer configMaps() {
        return new Printer(List.of(Column.name(0),
                Column.of("Data", "string", Column.describe(V1ConfigMap.class, "data"), 0), Column.age()),
                (configMap, now) -> List.of(Cells.name(configMap),
                        (long) (Json.size(configMap, "data") + Json.size(configMap, "binaryData")), Cells.age(configMap, now)));
    }

    private Printer secrets() {
        return new Printer(List.of(Column.name(0),
                Column.of("Type", "string", Column.describe(V1Secret.class, "type"), 0),
                Column.of("Data", "string", Column.describe(V1Secret.class, "data"), 0), Column.age()),
                (secret, now) -> List.of(Cells.name(secret), Json.text(secret, "type"), (long) Json.size(secret, "data"),
                        Cells.age(secret, now)));
    }

    private Printer serviceAccounts() {
        return new Printer(List.of(Column.name(0),
                Column.of("Secrets", "string", Column.describe(V1ServiceAccount.class, "secrets"), 0), Column.age()),
                (account, now) -> List.of(Cells.name(account), (long) Json.size(account, "secrets"), Cells.age(account, now)));
    }

    private Printer leases() {
        return new Printer(List.of(Column.name(0),
                Column.of("Holder", "string", Column.describe(V1LeaseSpec.class, "holderIdentity"), 0), Column.age()),
                (lease, now) -> List.of(Cells.name(lease), Json.text(lease, "spec", "holderIdentity"), Cells.age(lease, now)));
    }

    private Printer events() {
        return new Printer(List.of(
                Column.of("Last Seen", "string", Column.describe(CoreV1Event.class, "lastTimestamp"), 0),
                Column.of("Type", "string", Column.describe(CoreV1Event.class, "type"), 0),
                Column.of("Reason", "string", Column.describe(CoreV1Event.class, "reason"), 0),
                Column.of("Object", "string", Column.describe(CoreV1Event.class, "involvedObject"), 0),
                Column.of("Subobject", "string", Column.describe(V1ObjectReference.class, "fieldPath"), 1),
                Column.of("Source", "string", Column.describe(CoreV1Event.class, "source"), 1),
                Column.of("Message", "string", Column.describe(CoreV1Event.class, "message"), 0),
                Column.of("First Seen", "string", Column.describe(CoreV1Event.class, "firstTimestamp"), 1),
                Column.of("Count", "string", Column.describe(CoreV1Event.class, "count"), 1),
                Column.name(1)),
                (event, now) -> {
                    String first = Json.time(event, "firstTimestamp").isPresent()
                            ? Cells.since(Json.time(event, "firstTimestamp"), now)
                            : Cells.since(Json.time(event, "eventTime"), now);
                    String last = Json.time(event, "lastTimestamp").isPresent()
                            ? Cells.since(Json.time(event, "lastTimestamp"), now)
                            : first;
                    long count = Json.number(event, "count");
                    if (Json.at(event, "series").isObject()) {
                        last = Cells.since(Json.time(event, "series", "lastObservedTime"), now);
                        count = Json.number(event, "series", "count");
                    } else if (count == 0) {
                        // events of the events.k8s.io API leave count unset when they happened once
                        count = 1;
                    }
                    String kind = Json.text(event, "involvedObject", "kind").toLowerCase(Locale.ROOT);
                    String involved = Json.text(event, "involvedObject", "name");
                    return List.of(last, Json.text(event, "type"), Json.text(event, "reason"),
                            involved.isEmpty() ? kind : kind + "/" + involved,
                            Json.text(event, "involvedObject", "fieldPath"), eventSource(event),
                            Json.text(event, "message").strip(), first, count, Cells.name(event));
                });
    }

    /** events.k8s.io/v1 Events print as the core/v1 Events they are stored as. */
    private static Printer eventsV1(Printer core) {
        return new Printer(core.columns(), (event, now) -> core.cells().apply(EventConversion.toCore(event), now));
    }

    private static String eventSource(JsonNode event) {
        String component = firstNonEmpty(Json.text(event, "source", "component"), Json.text(event, "reportingComponent"));
        String instance = firstNonEmpty(Json.text(event, "source", "host"), Json.text(event, "reportingInstance"));
        return instance.isEmpty() ? component : component + ", " + instance;
    }

    private static String firstNonEmpty(String first, String second) {
        return first.isEmpty() ? second : first;
    }
}
