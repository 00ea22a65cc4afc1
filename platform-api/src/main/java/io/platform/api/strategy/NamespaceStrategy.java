package io.platform.api.strategy;

import io.platform.api.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Namespaces: DNS-1123 label names and an Active phase on create. */
final class NamespaceStrategy implements ResourceStrategy {

    public static final String KUBERNETES_FINALIZER = "kubernetes";

    @Override
    public NameRule nameRule() {
        return NameRule.DNS_LABEL;
    }

    @Override
    public void prepareForCreate(ObjectNode namespace) {
        ObjectNode status = Json.object();
        status.put("phase", "Active");
        namespace.set("status", status);
        // as upstream: the "kubernetes" finalizer makes deletion wait until the namespace is emptied
        ObjectNode spec = Json.child(namespace, "spec");
        if (!spec.has("finalizers")) {
            spec.putArray("finalizers").add(KUBERNETES_FINALIZER);
        }
    }

    @Override
    public boolean hasPendingFinalizers(JsonNode namespace) {
        return !namespace.path("metadata").path("finalizers").isEmpty()
                || !namespace.path("spec").path("finalizers").isEmpty();
    }

    @Override
    public void applyDefaults(ObjectNode namespace) {
        // as upstream's namespace strategy: the name is always available as a label
        ObjectNode labels = Json.child(Json.metadata(namespace), "labels");
        labels.put("kubernetes.io/metadata.name", namespace.path("metadata").path("name").asString(""));
    }
}
