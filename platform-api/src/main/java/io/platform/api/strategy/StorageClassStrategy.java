package io.platform.api.strategy;

import io.platform.api.errors.StatusCause;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/** StorageClasses: Delete and Immediate by default; provisioner, parameters and policies fixed once created. */
final class StorageClassStrategy implements ResourceStrategy {

    @Override
    public void applyDefaults(ObjectNode storageClass) {
        PodDefaults.putIfAbsent(storageClass, "reclaimPolicy", "Delete");
        PodDefaults.putIfAbsent(storageClass, "volumeBindingMode", "Immediate");
    }

    @Override
    public List<StatusCause> validate(ObjectNode storageClass) {
        List<StatusCause> causes = new ArrayList<>();
        Values.required(storageClass, "provisioner", "provisioner", causes);
        Values.supported(storageClass, "reclaimPolicy", "reclaimPolicy", List.of("Delete", "Retain"), causes);
        Values.supported(storageClass, "volumeBindingMode", "volumeBindingMode",
                List.of("Immediate", "WaitForFirstConsumer"), causes);
        return causes;
    }

    @Override
    public List<StatusCause> validateUpdate(ObjectNode storageClass, ObjectNode old) {
        List<StatusCause> causes = new ArrayList<>();
        for (String field : List.of("parameters", "provisioner", "reclaimPolicy")) {
            if (!storageClass.path(field).equals(old.path(field))) {
                causes.add(StatusCause.forbidden(field, "updates to " + field + " are forbidden."));
            }
        }
        Values.immutable(storageClass.path("volumeBindingMode"), old.path("volumeBindingMode"), "volumeBindingMode", causes);
        return causes;
    }
}
