package io.platform.api.table;

import io.kubernetes.client.openapi.models.V1Endpoints;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaimSpec;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaimStatus;
import io.kubernetes.client.openapi.models.V1PersistentVolumeSpec;
import io.kubernetes.client.openapi.models.V1PersistentVolumeStatus;
import io.kubernetes.client.openapi.models.V1PodTemplateSpec;
import io.kubernetes.client.openapi.models.V1ReplicationControllerSpec;
import io.kubernetes.client.openapi.models.V1ReplicationControllerStatus;
import io.kubernetes.client.openapi.models.V1ResourceQuotaStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/** kube-apiserver's printers of the core types beyond pods, nodes, services and their like. */
final class CorePrinters {

    /** Kubernetes' abbreviations of access modes, in the order GetAccessModesAsString writes them. */
    private static final Map<String, String> ACCESS_MODES = accessModes();
    private static final int MAX_LISTED = 3;

    private CorePrinters() {}

    static void register(Map<String, Printer> printers) {
        printers.put("/endpoints", endpoints());
        printers.put("/limitranges", new Printer(List.of(Column.name(0), Column.createdAt()),
                (o, now) -> List.of(Cells.name(o), Cells.createdAt(o))));
        printers.put("/resourcequotas", resourceQuotas());
        printers.put("/persistentvolumeclaims", persistentVolumeClaims());
        printers.put("/persistentvolumes", persistentVolumes());
        printers.put("/podtemplates", podTemplates());
        printers.put("/replicationcontrollers", replicationControllers());
    }

    private static Map<String, String> accessModes() {
        Map<String, String> modes = new LinkedHashMap<>();
        modes.put("ReadWriteOnce", "RWO");
        modes.put("ReadOnlyMany", "ROX");
        modes.put("ReadWriteMany", "RWX");
        modes.put("ReadWriteOncePod", "RWOP");
        return modes;
    }

    private static Printer endpoints() {
        return new Printer(List.of(Column.name(0), Column.field("Endpoints", V1Endpoints.class, "subsets"), Column.age()),
                (o, now) -> List.of(Cells.name(o), formatEndpoints(o), Cells.age(o, now)));
    }

    /** As upstream's formatEndpoints: up to three ip:port pairs, then "+ N more...". */
    static String formatEndpoints(JsonNode endpoints) {
        List<JsonNode> subsets = Json.array(endpoints, "subsets");
        if (subsets.isEmpty()) {
            return Cells.NONE;
        }
        List<String> list = new ArrayList<>();
        boolean more = false;
        int count = 0;
        for (JsonNode subset : subsets) {
            List<JsonNode> addresses = Json.array(subset, "addresses");
            List<JsonNode> ports = Json.array(subset, "ports");
            if (ports.isEmpty()) {
                count += addresses.size();
                for (JsonNode address : addresses) {
                    if (list.size() == MAX_LISTED) {
                        more = true;
                        break;
                    }
                    list.add(Json.text(address, "ip"));
                }
                continue;
            }
            for (JsonNode port : ports) {
                count += addresses.size();
                for (JsonNode address : addresses) {
                    if (list.size() == MAX_LISTED) {
                        more = true;
                        break;
                    }
                    String ip = Json.text(address, "ip");
                    list.add((ip.contains(":") ? "[" + ip + "]" : ip) + ":" + Json.number(port, "port"));
                }
            }
        }
        String joined = String.join(",", list);
        return more ? joined + " + " + (count - MAX_LISTED) + " more..." : joined;
    }

    private static Printer resourceQuotas() {
        return new Printer(List.of(Column.name(0), Column.age(),
                Column.of("Request", "string", "Request represents a minimum amount of cpu/memory that a container may consume.", 0),
                Column.of("Limit", "string", "Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.", 0)),
                (quota, now) -> {
                    List<String> requests = new ArrayList<>();
                    List<String> limits = new ArrayList<>();
                    Map<String, String> hard = new TreeMap<>();
                    Json.at(quota, "status", "hard").properties().forEach(e -> hard.put(e.getKey(), e.getValue().asString()));
                    hard.forEach((resource, limit) -> {
                        String used = Json.text(quota, "status", "used", resource);
                        String cell = resource + ": " + (used.isEmpty() ? "0" : used) + "/" + limit;
                        (resource.startsWith("limits.") ? limits : requests).add(cell);
                    });
                    return List.of(Cells.name(quota), Cells.age(quota, now), String.join(", ", requests),
                            String.join(", ", limits));
                });
    }

    static String accessModes(List<JsonNode> modes) {
        List<String> present = modes.stream().map(JsonNode::asString).toList();
        List<String> abbreviated = new ArrayList<>();
        ACCESS_MODES.forEach((mode, abbreviation) -> {
            if (present.contains(mode)) {
                abbreviated.add(abbreviation);
            }
        });
        return String.join(",", abbreviated);
    }

    private static String phase(JsonNode object) {
        return Json.at(object, "metadata", "deletionTimestamp").isString()
                ? "Terminating" : Json.text(object, "status", "phase");
    }

    private static String unset(String value) {
        return value.isEmpty() ? "<unset>" : value;
    }

    private static Printer persistentVolumeClaims() {
        return new Printer(List.of(Column.name(0),
                Column.field("Status", V1PersistentVolumeClaimStatus.class, "phase"),
                Column.field("Volume", V1PersistentVolumeClaimSpec.class, "volumeName"),
                Column.field("Capacity", V1PersistentVolumeClaimStatus.class, "capacity"),
                Column.field("Access Modes", V1PersistentVolumeClaimStatus.class, "accessModes"),
                Column.field("StorageClass", V1PersistentVolumeClaimSpec.class, "storageClassName"),
                Column.field("VolumeAttributesClass", V1PersistentVolumeClaimSpec.class, "volumeAttributesClassName"),
                Column.age(),
                Column.wide("VolumeMode", V1PersistentVolumeClaimSpec.class, "volumeMode")),
                (claim, now) -> {
                    boolean bound = !Json.text(claim, "spec", "volumeName").isEmpty();
                    String storageClass = Json.text(claim, "metadata", "annotations", "volume.beta.kubernetes.io/storage-class");
                    return List.of(Cells.name(claim), phase(claim), Json.text(claim, "spec", "volumeName"),
                            bound ? Json.text(claim, "status", "capacity", "storage") : "",
                            bound ? accessModes(Json.array(claim, "status", "accessModes")) : "",
                            storageClass.isEmpty() ? Json.text(claim, "spec", "storageClassName") : storageClass,
                            unset(Json.text(claim, "spec", "volumeAttributesClassName")), Cells.age(claim, now),
                            unset(Json.text(claim, "spec", "volumeMode")));
                });
    }

    private static Printer persistentVolumes() {
        return new Printer(List.of(Column.name(0),
                Column.field("Capacity", V1PersistentVolumeSpec.class, "capacity"),
                Column.field("Access Modes", V1PersistentVolumeSpec.class, "accessModes"),
                Column.field("Reclaim Policy", V1PersistentVolumeSpec.class, "persistentVolumeReclaimPolicy"),
                Column.field("Status", V1PersistentVolumeStatus.class, "phase"),
                Column.field("Claim", V1PersistentVolumeSpec.class, "claimRef"),
                Column.field("StorageClass", V1PersistentVolumeSpec.class, "storageClassName"),
                Column.field("VolumeAttributesClass", V1PersistentVolumeSpec.class, "volumeAttributesClassName"),
                Column.field("Reason", V1PersistentVolumeStatus.class, "reason"),
                Column.age(),
                Column.wide("VolumeMode", V1PersistentVolumeSpec.class, "volumeMode")),
                (volume, now) -> {
                    JsonNode claimRef = Json.at(volume, "spec", "claimRef");
                    String claim = claimRef.isObject()
                            ? Json.text(claimRef, "namespace") + "/" + Json.text(claimRef, "name") : "";
                    String storageClass = Json.text(volume, "metadata", "annotations", "volume.beta.kubernetes.io/storage-class");
                    return List.of(Cells.name(volume), Json.text(volume, "spec", "capacity", "storage"),
                            accessModes(Json.array(volume, "spec", "accessModes")),
                            Json.text(volume, "spec", "persistentVolumeReclaimPolicy"), phase(volume), claim,
                            storageClass.isEmpty() ? Json.text(volume, "spec", "storageClassName") : storageClass,
                            unset(Json.text(volume, "spec", "volumeAttributesClassName")),
                            Json.text(volume, "status", "reason"), Cells.age(volume, now),
                            unset(Json.text(volume, "spec", "volumeMode")));
                });
    }

    private static Printer podTemplates() {
        return new Printer(List.of(Column.name(0),
                Column.of("Containers", "string", "Names of each container in the template.", 0),
                Column.of("Images", "string", "Images referenced by each container in the template.", 0),
                Column.field("Pod Labels", V1PodTemplateSpec.class, "metadata")),
                (template, now) -> List.of(Cells.name(template), Cells.containerNames(template, "template"),
                        Cells.containerImages(template, "template"),
                        LabelSelectors.formatLabels(Json.at(template, "template", "metadata", "labels"))));
    }

    private static Printer replicationControllers() {
        return new Printer(List.of(Column.name(0),
                Column.of("Desired", "integer", Column.describe(V1ReplicationControllerSpec.class, "replicas"), 0),
                Column.of("Current", "integer", Column.describe(V1ReplicationControllerStatus.class, "replicas"), 0),
                Column.of("Ready", "integer", Column.describe(V1ReplicationControllerStatus.class, "readyReplicas"), 0),
                Column.age(), Column.containers(), Column.images(),
                Column.wide("Selector", V1ReplicationControllerSpec.class, "selector")),
                (rc, now) -> List.of(Cells.name(rc), Json.number(rc, "spec", "replicas"),
                        Json.number(rc, "status", "replicas"), Json.number(rc, "status", "readyReplicas"),
                        Cells.age(rc, now), Cells.containerNames(rc), Cells.containerImages(rc),
                        LabelSelectors.formatLabels(Json.at(rc, "spec", "selector"))));
    }
}
