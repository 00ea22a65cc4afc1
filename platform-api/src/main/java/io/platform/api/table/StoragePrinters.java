package io.platform.api.table;

import io.kubernetes.client.openapi.models.V1StorageClass;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** kube-apiserver's printer of storage.k8s.io/v1 storage classes. */
final class StoragePrinters {

    private StoragePrinters() {}

    static void register(Map<String, Printer> printers) {
        printers.put("storage.k8s.io/storageclasses", new Printer(List.of(Column.name(0),
                Column.field("Provisioner", V1StorageClass.class, "provisioner"),
                Column.field("ReclaimPolicy", V1StorageClass.class, "reclaimPolicy"),
                Column.field("VolumeBindingMode", V1StorageClass.class, "volumeBindingMode"),
                Column.field("AllowVolumeExpansion", V1StorageClass.class, "allowVolumeExpansion"),
                Column.age()),
                (storageClass, now) -> List.of(nameWithDefault(storageClass), Json.text(storageClass, "provisioner"),
                        orDefault(Json.text(storageClass, "reclaimPolicy"), "Delete"),
                        orDefault(Json.text(storageClass, "volumeBindingMode"), "Immediate"),
                        Json.bool(storageClass, "allowVolumeExpansion"), Cells.age(storageClass, now))));
    }

    /** The default class is marked as kubectl shows it: {@code standard (default)}. */
    private static String nameWithDefault(JsonNode storageClass) {
        JsonNode annotations = Json.at(storageClass, "metadata", "annotations");
        boolean isDefault = Json.text(annotations, "storageclass.kubernetes.io/is-default-class").equals("true")
                || Json.text(annotations, "storageclass.beta.kubernetes.io/is-default-class").equals("true");
        return Cells.name(storageClass) + (isDefault ? " (default)" : "");
    }

    private static String orDefault(String value, String fallback) {
        return value.isEmpty() ? fallback : value;
    }
}
