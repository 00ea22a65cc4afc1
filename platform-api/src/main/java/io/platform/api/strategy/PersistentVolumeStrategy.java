package io.platform.api.strategy;

import io.platform.api.errors.StatusCause;
import io.platform.api.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** PersistentVolumes: Pending on create, Retain and Filesystem by default, exactly one volume source. */
final class PersistentVolumeStrategy implements ResourceStrategy {

    /** Spec fields that are not volume sources. */
    private static final Set<String> NOT_SOURCES = Set.of("accessModes", "capacity", "claimRef",
            "persistentVolumeReclaimPolicy", "storageClassName", "mountOptions", "volumeMode", "nodeAffinity",
            "volumeAttributesClassName");

    @Override
    public void prepareForCreate(ObjectNode volume) {
        volume.set("status", Json.object().put("phase", "Pending"));
    }

    @Override
    public void applyDefaults(ObjectNode volume) {
        ObjectNode spec = Json.child(volume, "spec");
        PodDefaults.putIfAbsent(spec, "persistentVolumeReclaimPolicy", "Retain");
        PodDefaults.putIfAbsent(spec, "volumeMode", "Filesystem");
    }

    @Override
    public List<StatusCause> validate(ObjectNode volume) {
        List<StatusCause> causes = new ArrayList<>();
        JsonNode spec = volume.path("spec");
        if (spec.path("capacity").isEmpty()) {
            causes.add(StatusCause.required("spec.capacity", ""));
        } else if (Values.missing(spec.path("capacity"), "storage")) {
            causes.add(StatusCause.required("spec.capacity[storage]", ""));
        }
        PersistentVolumeClaimStrategy.accessModes(spec.path("accessModes"), "spec.accessModes", causes);
        Values.supported(spec, "persistentVolumeReclaimPolicy", "spec.persistentVolumeReclaimPolicy",
                List.of("Delete", "Recycle", "Retain"), causes);
        Values.supported(spec, "volumeMode", "spec.volumeMode", List.of("Block", "Filesystem"), causes);
        long sources = spec.propertyNames().stream().filter(name -> !NOT_SOURCES.contains(name)).count();
        if (sources == 0) {
            causes.add(StatusCause.required("spec", "must specify a volume type"));
        } else if (sources > 1) {
            causes.add(StatusCause.forbidden("spec", "may not specify more than 1 volume type"));
        }
        return causes;
    }

    @Override
    public List<StatusCause> validateUpdate(ObjectNode volume, ObjectNode old) {
        if (!sources(volume.path("spec")).equals(sources(old.path("spec")))) {
            return List.of(StatusCause.forbidden("spec.persistentvolumesource", "spec.persistentvolumesource is forbidden"));
        }
        return List.of();
    }

    private static ObjectNode sources(JsonNode spec) {
        ObjectNode copy = spec instanceof ObjectNode o ? o.deepCopy() : Json.object();
        NOT_SOURCES.forEach(copy::remove);
        return copy;
    }
}
