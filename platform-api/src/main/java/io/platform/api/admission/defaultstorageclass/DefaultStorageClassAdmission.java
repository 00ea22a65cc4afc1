package io.platform.api.admission.defaultstorageclass;

import io.platform.api.admission.AdmissionOrder;
import io.platform.api.admission.AdmissionPlugin;
import io.platform.api.admission.AdmissionRequest;
import io.platform.api.admission.ObjectLookup;
import io.platform.api.json.Json;
import io.platform.api.registry.BuiltinResources;
import io.platform.api.registry.ResourceType;
import java.util.Comparator;
import java.util.Optional;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * As kube-apiserver's DefaultStorageClass plugin: a PersistentVolumeClaim created without {@code storageClassName}
 * (absent, not the empty string, which asks for no class) and without the beta class annotation gets the default
 * StorageClass, the one annotated {@code storageclass.kubernetes.io/is-default-class: "true"} (or the beta annotation);
 * with several, the newest, then the first by name, as upstream since 1.26. Without one the claim is left as it is.
 */
@Component
@Order(AdmissionOrder.DEFAULT_TOLERATION_SECONDS + 50)
public final class DefaultStorageClassAdmission implements AdmissionPlugin {

    static final String DEFAULT_ANNOTATION = "storageclass.kubernetes.io/is-default-class";
    static final String BETA_DEFAULT_ANNOTATION = "storageclass.beta.kubernetes.io/is-default-class";
    static final String BETA_CLASS_ANNOTATION = "volume.beta.kubernetes.io/storage-class";
    private static final ResourceType CLASSES = BuiltinResources.find("storage.k8s.io", "v1", "storageclasses").orElseThrow();

    private final ObjectLookup lookup;

    public DefaultStorageClassAdmission(ObjectLookup lookup) {
        this.lookup = lookup;
    }

    @Override
    public String name() {
        return "DefaultStorageClass";
    }

    @Override
    public void mutate(AdmissionRequest request) {
        if (!request.creates("", "persistentvolumeclaims")) {
            return;
        }
        ObjectNode claim = request.object();
        if (claim.path("spec").has("storageClassName") && !claim.path("spec").path("storageClassName").isNull()) {
            return;
        }
        if (claim.path("metadata").path("annotations").has(BETA_CLASS_ANNOTATION)) {
            return;
        }
        defaultClass().ifPresent(name -> Json.child(claim, "spec").put("storageClassName", name));
    }

    private Optional<String> defaultClass() {
        return lookup.list(CLASSES, null).stream()
                .filter(DefaultStorageClassAdmission::isDefault)
                .max(Comparator.<ObjectNode, String>comparing(c -> c.path("metadata").path("creationTimestamp").asString(""))
                        .thenComparing(c -> c.path("metadata").path("name").asString(""), Comparator.reverseOrder()))
                .map(c -> c.path("metadata").path("name").asString());
    }

    private static boolean isDefault(ObjectNode storageClass) {
        JsonNode annotations = storageClass.path("metadata").path("annotations");
        return "true".equals(annotations.path(DEFAULT_ANNOTATION).asString(""))
                || "true".equals(annotations.path(BETA_DEFAULT_ANNOTATION).asString(""));
    }
}
