package io.platform.api.strategy;

import io.platform.api.errors.StatusCause;
import io.platform.api.json.Json;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * PersistentVolumeClaims: Pending on create, Filesystem volume mode by default; after creation only the requested
 * resources, the attributes class and (once) the bound volume name may change, as upstream.
 */
final class PersistentVolumeClaimStrategy implements ResourceStrategy {

    static final List<String> ACCESS_MODES = List.of("ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod");

    @Override
    public void prepareForCreate(ObjectNode claim) {
        claim.set("status", Json.object().put("phase", "Pending"));
    }

    @Override
    public void applyDefaults(ObjectNode claim) {
        PodDefaults.putIfAbsent(Json.child(claim, "spec"), "volumeMode", "Filesystem");
    }

    @Override
    public List<StatusCause> validate(ObjectNode claim) {
        List<StatusCause> causes = new ArrayList<>();
        JsonNode spec = claim.path("spec");
        accessModes(spec.path("accessModes"), "spec.accessModes", causes);
        if (Values.missing(spec.path("resources").path("requests"), "storage")) {
            causes.add(StatusCause.required("spec.resources[storage]", ""));
        }
        Values.supported(spec, "volumeMode", "spec.volumeMode", List.of("Block", "Filesystem"), causes);
        return causes;
    }

    static void accessModes(JsonNode modes, String path, List<StatusCause> causes) {
        if (modes.isEmpty()) {
            causes.add(StatusCause.required(path, "at least 1 access mode is required"));
        }
        for (JsonNode mode : modes) {
            if (!ACCESS_MODES.contains(mode.asString(""))) {
                causes.add(StatusCause.notSupported(path, mode.asString(""), ACCESS_MODES));
            }
        }
    }

    @Override
    public List<StatusCause> validateUpdate(ObjectNode claim, ObjectNode old) {
        ObjectNode spec = mutableView(claim.path("spec"));
        ObjectNode oldSpec = mutableView(old.path("spec"));
        // the binder sets volumeName once on a claim that had none
        if (old.path("spec").path("volumeName").asString("").isEmpty()) {
            spec.remove("volumeName");
            oldSpec.remove("volumeName");
        }
        if (!spec.equals(oldSpec)) {
            return List.of(StatusCause.forbidden("spec",
                    "spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims"));
        }
        return List.of();
    }

    private static ObjectNode mutableView(JsonNode spec) {
        ObjectNode copy = spec instanceof ObjectNode o ? o.deepCopy() : Json.object();
        copy.remove("volumeAttributesClassName");
        if (copy.path("resources") instanceof ObjectNode resources) {
            resources.remove("requests");
        }
        return copy;
    }
}
