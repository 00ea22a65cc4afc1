package io.platform.api.table;

import io.kubernetes.client.openapi.models.CoreV1Event;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1DeploymentSpec;
import io.kubernetes.client.openapi.models.V1DeploymentStatus;
import io.kubernetes.client.openapi.models.V1LeaseSpec;
import io.kubernetes.client.openapi.models.V1NodeStatus;
import io.kubernetes.client.openapi.models.V1NodeSystemInfo;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1ObjectReference;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1PodStatus;
import io.kubernetes.client.openapi.models.V1ReplicaSetSpec;
import io.kubernetes.client.openapi.models.V1ReplicaSetStatus;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.kubernetes.client.openapi.models.V1ServiceSpec;
import io.platform.api.openapi.ModelFields;
import io.platform.api.registry.ResourceType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;
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
    private static final String NONE = "<none>";
    private static final String UNKNOWN = "<unknown>";

    /** A column of a table; priority 1 columns show only with {@code kubectl get -o wide}. */
    private record Column(String name, String type, String format, String description, int priority) {
        ObjectNode toJson() {
            ObjectNode column = JSON.objectNode();
            column.put("name", name);
            column.put("type", type);
            column.put("format", format);
            column.put("description", description);
            column.put("priority", priority);
            return column;
        }
    }

    /** The columns of a type and how one object fills them (all columns, as with {@code -o wide}). */
    private record Printer(List<Column> columns, BiFunction<JsonNode, Instant, List<?>> cells) {}

    private final Clock clock;
    private final Map<String, Printer> printers;
    private final Printer defaultPrinter;

    public TableConverter(Clock clock) {
        this.clock = clock;
        this.printers = Map.ofEntries(
                Map.entry("/pods", pods()),
                Map.entry("/nodes", nodes()),
                Map.entry("/namespaces", namespaces()),
                Map.entry("/services", services()),
                Map.entry("/configmaps", configMaps()),
                Map.entry("/secrets", secrets()),
                Map.entry("/events", events()),
                Map.entry("/serviceaccounts", serviceAccounts()),
                Map.entry("apps/deployments", deployments()),
                Map.entry("apps/replicasets", replicaSets()),
                Map.entry("coordination.k8s.io/leases", leases()));
        // kube-apiserver's default table for types without a printer
        this.defaultPrinter = new Printer(
                List.of(nameColumn(0), new Column("Created At", "date", "", metaDescription("creationTimestamp"), 0)),
                (o, now) -> List.of(name(o), Json.time(o, "metadata", "creationTimestamp")
                        .map(t -> DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS)
                                .atOffset(ZoneOffset.UTC)))
                        .orElse("")));
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
                nameColumn(0),
                column("Ready", "string", "How many of the pod's containers are ready, out of all of them.", 0),
                column("Status", "string", "The pod's status as its containers sum it up.", 0),
                column("Restarts", "string", "How often the pod's containers restarted, and how long ago the last did.", 0),
                ageColumn(),
                column("IP", "string", describe(V1PodStatus.class, "podIP"), 1),
                column("Node", "string", describe(V1PodSpec.class, "nodeName"), 1),
                column("Nominated Node", "string", describe(V1PodStatus.class, "nominatedNodeName"), 1),
                column("Readiness Gates", "string", describe(V1PodSpec.class, "readinessGates"), 1)),
                (pod, now) -> {
                    PodSummary summary = PodSummary.of(pod);
                    String restarts = String.valueOf(summary.restarts());
                    if (summary.restarts() != 0 && summary.lastRestart().isPresent()) {
                        restarts += " (" + since(summary.lastRestart(), now) + " ago)";
                    }
                    List<JsonNode> podIPs = Json.array(pod, "status", "podIPs");
                    String ip = podIPs.isEmpty() ? Json.text(pod, "status", "podIP") : Json.text(podIPs.getFirst(), "ip");
                    return List.of(name(pod), summary.ready() + "/" + summary.total(), summary.status(), restarts,
                            age(pod, now), orNone(ip), orNone(Json.text(pod, "spec", "nodeName")),
                            orNone(Json.text(pod, "status", "nominatedNodeName")), readinessGates(pod));
                });
    }

    private static String readinessGates(JsonNode pod) {
        List<JsonNode> gates = Json.array(pod, "spec", "readinessGates");
        if (gates.isEmpty()) {
            return NONE;
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
                nameColumn(0),
                column("Ready", "string", "Ready replicas out of the desired ones.", 0),
                column("Up-to-date", "string", describe(V1DeploymentStatus.class, "updatedReplicas"), 0),
                column("Available", "string", describe(V1DeploymentStatus.class, "availableReplicas"), 0),
                ageColumn(),
                containersColumn(),
                imagesColumn(),
                column("Selector", "string", describe(V1DeploymentSpec.class, "selector"), 1)),
                (deployment, now) -> List.of(name(deployment),
                        Json.number(deployment, "status", "readyReplicas") + "/"
                                + Json.number(deployment, "spec", "replicas"),
                        Json.number(deployment, "status", "updatedReplicas"),
                        Json.number(deployment, "status", "availableReplicas"),
                        age(deployment, now),
                        containerNames(deployment),
                        containerImages(deployment),
                        LabelSelectors.format(Json.at(deployment, "spec", "selector"))));
    }

    private Printer replicaSets() {
        return new Printer(List.of(
                nameColumn(0),
                column("Desired", "integer", describe(V1ReplicaSetSpec.class, "replicas"), 0),
                column("Current", "integer", describe(V1ReplicaSetStatus.class, "replicas"), 0),
                column("Ready", "integer", describe(V1ReplicaSetStatus.class, "readyReplicas"), 0),
                ageColumn(),
                containersColumn(),
                imagesColumn(),
                column("Selector", "string", describe(V1ReplicaSetSpec.class, "selector"), 1)),
                (replicaSet, now) -> List.of(name(replicaSet),
                        Json.number(replicaSet, "spec", "replicas"),
                        Json.number(replicaSet, "status", "replicas"),
                        Json.number(replicaSet, "status", "readyReplicas"),
                        age(replicaSet, now),
                        containerNames(replicaSet),
                        containerImages(replicaSet),
                        LabelSelectors.formatOrNone(Json.at(replicaSet, "spec", "selector"))));
    }

    private Printer nodes() {
        return new Printer(List.of(
                nameColumn(0),
                column("Status", "string", "The node's readiness, and whether scheduling onto it is disabled.", 0),
                column("Roles", "string", "The node's roles, from its node-role.kubernetes.io/ labels.", 0),
                ageColumn(),
                column("Version", "string", describe(V1NodeSystemInfo.class, "kubeletVersion"), 0),
                column("Internal-IP", "string", describe(V1NodeStatus.class, "addresses"), 1),
                column("External-IP", "string", describe(V1NodeStatus.class, "addresses"), 1),
                column("OS-Image", "string", describe(V1NodeSystemInfo.class, "osImage"), 1),
                column("Kernel-Version", "string", describe(V1NodeSystemInfo.class, "kernelVersion"), 1),
                column("Container-Runtime", "string", describe(V1NodeSystemInfo.class, "containerRuntimeVersion"), 1)),
                (node, now) -> List.of(name(node), nodeStatus(node), nodeRoles(node), age(node, now),
                        Json.text(node, "status", "nodeInfo", "kubeletVersion"),
                        nodeAddress(node, "InternalIP"), nodeAddress(node, "ExternalIP"),
                        orUnknown(Json.text(node, "status", "nodeInfo", "osImage")),
                        orUnknown(Json.text(node, "status", "nodeInfo", "kernelVersion")),
                        orUnknown(Json.text(node, "status", "nodeInfo", "containerRuntimeVersion"))));
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
        return roles.isEmpty() ? NONE : String.join(",", roles);
    }

    private static String nodeAddress(JsonNode node, String type) {
        return Json.array(node, "status", "addresses").stream()
                .filter(a -> Json.text(a, "type").equals(type))
                .map(a -> Json.text(a, "address"))
                .findFirst()
                .orElse(NONE);
    }

    private Printer namespaces() {
        return new Printer(List.of(
                nameColumn(0),
                column("Status", "string", "The phase of the namespace: Active or Terminating.", 0),
                ageColumn()),
                (namespace, now) -> List.of(name(namespace), Json.text(namespace, "status", "phase"), age(namespace, now)));
    }

    private Printer services() {
        return new Printer(List.of(
                nameColumn(0),
                column("Type", "string", describe(V1ServiceSpec.class, "type"), 0),
                column("Cluster-IP", "string", describe(V1ServiceSpec.class, "clusterIP"), 0),
                column("External-IP", "string", describe(V1ServiceSpec.class, "externalIPs"), 0),
                column("Port(s)", "string", describe(V1ServiceSpec.class, "ports"), 0),
                ageColumn(),
                column("Selector", "string", describe(V1ServiceSpec.class, "selector"), 1)),
                (service, now) -> {
                    List<JsonNode> clusterIPs = Json.array(service, "spec", "clusterIPs");
                    String clusterIP = clusterIPs.isEmpty()
                            ? Json.text(service, "spec", "clusterIP")
                            : clusterIPs.getFirst().asString();
                    String ports = servicePorts(service);
                    return List.of(name(service), serviceType(service), orNone(clusterIP), externalIP(service),
                            ports.isEmpty() ? NONE : ports, age(service, now),
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
            case "ClusterIP", "NodePort" -> externalIPs.isEmpty() ? NONE : String.join(",", externalIPs);
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
            default -> UNKNOWN;
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
        return new Printer(List.of(nameColumn(0),
                column("Data", "string", describe(V1ConfigMap.class, "data"), 0), ageColumn()),
                (configMap, now) -> List.of(name(configMap),
                        (long) (Json.size(configMap, "data") + Json.size(configMap, "binaryData")), age(configMap, now)));
    }

    private Printer secrets() {
        return new Printer(List.of(nameColumn(0),
                column("Type", "string", describe(V1Secret.class, "type"), 0),
                column("Data", "string", describe(V1Secret.class, "data"), 0), ageColumn()),
                (secret, now) -> List.of(name(secret), Json.text(secret, "type"), (long) Json.size(secret, "data"),
                        age(secret, now)));
    }

    private Printer serviceAccounts() {
        return new Printer(List.of(nameColumn(0),
                column("Secrets", "string", describe(V1ServiceAccount.class, "secrets"), 0), ageColumn()),
                (account, now) -> List.of(name(account), (long) Json.size(account, "secrets"), age(account, now)));
    }

    private Printer leases() {
        return new Printer(List.of(nameColumn(0),
                column("Holder", "string", describe(V1LeaseSpec.class, "holderIdentity"), 0), ageColumn()),
                (lease, now) -> List.of(name(lease), Json.text(lease, "spec", "holderIdentity"), age(lease, now)));
    }

    private Printer events() {
        return new Printer(List.of(
                column("Last Seen", "string", describe(CoreV1Event.class, "lastTimestamp"), 0),
                column("Type", "string", describe(CoreV1Event.class, "type"), 0),
                column("Reason", "string", describe(CoreV1Event.class, "reason"), 0),
                column("Object", "string", describe(CoreV1Event.class, "involvedObject"), 0),
                column("Subobject", "string", describe(V1ObjectReference.class, "fieldPath"), 1),
                column("Source", "string", describe(CoreV1Event.class, "source"), 1),
                column("Message", "string", describe(CoreV1Event.class, "message"), 0),
                column("First Seen", "string", describe(CoreV1Event.class, "firstTimestamp"), 1),
                column("Count", "string", describe(CoreV1Event.class, "count"), 1),
                nameColumn(1)),
                (event, now) -> {
                    String first = Json.time(event, "firstTimestamp").isPresent()
                            ? since(Json.time(event, "firstTimestamp"), now)
                            : since(Json.time(event, "eventTime"), now);
                    String last = Json.time(event, "lastTimestamp").isPresent()
                            ? since(Json.time(event, "lastTimestamp"), now)
                            : first;
                    long count = Json.number(event, "count");
                    if (Json.at(event, "series").isObject()) {
                        last = since(Json.time(event, "series", "lastObservedTime"), now);
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
                            Json.text(event, "message").strip(), first, count, name(event));
                });
    }

    private static String eventSource(JsonNode event) {
        String component = firstNonEmpty(Json.text(event, "source", "component"), Json.text(event, "reportingComponent"));
        String instance = firstNonEmpty(Json.text(event, "source", "host"), Json.text(event, "reportingInstance"));
        return instance.isEmpty() ? component : component + ", " + instance;
    }

    private static String firstNonEmpty(String first, String second) {
        return first.isEmpty() ? second : first;
    }

    private static String containerNames(JsonNode object) {
        return String.join(",", Json.array(object, "spec", "template", "spec", "containers").stream()
                .map(c -> Json.text(c, "name")).toList());
    }

    private static String containerImages(JsonNode object) {
        return String.join(",", Json.array(object, "spec", "template", "spec", "containers").stream()
                .map(c -> Json.text(c, "image")).toList());
    }

    private static Column containersColumn() {
        return column("Containers", "string", "The names of the containers of the pod template.", 1);
    }

    private static Column imagesColumn() {
        return column("Images", "string", "The images of the containers of the pod template.", 1);
    }

    private static Column nameColumn(int priority) {
        return new Column("Name", "string", "name", metaDescription("name"), priority);
    }

    private static Column ageColumn() {
        return column("Age", "string", metaDescription("creationTimestamp"), 0);
    }

    private static Column column(String name, String type, String description, int priority) {
        return new Column(name, type, "", description, priority);
    }

    private static String metaDescription(String field) {
        return describe(V1ObjectMeta.class, field);
    }

    /** Column descriptions are the field descriptions Kubernetes documents, as kube-apiserver's printers use. */
    private static String describe(Class<?> model, String field) {
        return ModelFields.description(model, field).orElse("");
    }

    private static String name(JsonNode object) {
        return Json.text(object, "metadata", "name");
    }

    private static String age(JsonNode object, Instant now) {
        return since(Json.time(object, "metadata", "creationTimestamp"), now);
    }

    private static String since(Optional<Instant> time, Instant now) {
        return time.map(t -> HumanDuration.format(Duration.between(t, now))).orElse(UNKNOWN);
    }

    private static String orNone(@Nullable String value) {
        return value == null || value.isEmpty() ? NONE : value;
    }

    private static String orUnknown(String value) {
        return value.isEmpty() ? UNKNOWN : value;
    }
}
