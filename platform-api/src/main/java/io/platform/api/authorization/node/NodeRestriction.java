package io.platform.api.authorization.node;

import io.platform.api.admission.AdmissionPlugin;
import io.platform.api.admission.AdmissionRequest;
import io.platform.api.admission.AdmissionRequest.Operation;
import io.platform.api.admission.ObjectLookup;
import io.platform.common.golang.GoSyntax;
import io.platform.api.errors.ApiException;
import io.platform.api.json.Json;
import io.platform.api.registry.BuiltinResources;
import io.platform.api.registry.ResourceType;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The NodeRestriction admission plugin, as kube-apiserver's: a node writes only its own Node (and may neither set
 * labels under {@code node-restriction.kubernetes.io/} nor change its taints once registered), only mirror pods and
 * the status of pods bound to it, deletes and evicts only pods bound to it, touches only its own Lease, and asks
 * for ServiceAccount tokens only bound to a pod that runs on it. Requests of anyone who is not a node pass.
 */
public final class NodeRestriction implements AdmissionPlugin {

    static final String MIRROR_POD_ANNOTATION = "kubernetes.io/config.mirror";
    static final String RESTRICTED_LABEL_PREFIX = "node-restriction.kubernetes.io/";
    private static final ResourceType PODS = BuiltinResources.find("", "v1", "pods").orElseThrow();

    /** How the plugin reads a pod (upstream reads its pod informer): the watch cache, else the store. */
    @FunctionalInterface
    public interface Pods {
        Optional<ObjectNode> get(String namespace, String name);
    }

    private final Pods pods;

    public NodeRestriction(Pods pods) {
        this.pods = pods;
    }

    /** The plugin reading pods through the admission lookups. */
    public static NodeRestriction reading(ObjectLookup lookup) {
        return new NodeRestriction((namespace, name) -> lookup.get(PODS, namespace, name));
    }

    @Override
    public String name() {
        return "NodeRestriction";
    }

    @Override
    public void validate(AdmissionRequest request) {
        Optional<String> node = NodeIdentity.nodeName(request.user());
        if (node.isEmpty() || !request.group().isEmpty() && !request.group().equals("coordination.k8s.io")) {
            return;
        }
        switch (request.resource()) {
            case "pods" -> pod(node.get(), request);
            case "nodes" -> node(node.get(), request);
            case "serviceaccounts" -> serviceAccountToken(node.get(), request);
            case "leases" -> {
                if (request.group().equals("coordination.k8s.io")) {
                    lease(node.get(), request);
                }
            }
            default -> {
                // other resources are the Node authorizer's alone
            }
        }
    }

    private static void pod(String node, AdmissionRequest request) {
        ObjectNode pod = request.object();
        String boundTo = pod.path("spec").path("nodeName").asString("");
        switch (request.subresource()) {
            case "" -> {
                switch (request.operation()) {
                    case CREATE -> {
                        if (!pod.path("metadata").path("annotations").has(MIRROR_POD_ANNOTATION)) {
                            throw refused(request, "pod does not have " + GoSyntax.quote(MIRROR_POD_ANNOTATION)
                                    + " annotation, node " + GoSyntax.quote(node) + " can only create mirror pods");
                        }
                        if (!boundTo.equals(node)) {
                            throw refused(request, "node " + GoSyntax.quote(node)
                                    + " can only create pods with spec.nodeName set to itself");
                        }
                    }
                    case UPDATE -> throw refused(request, "node " + GoSyntax.quote(node) + " can only update pod status");
                    case DELETE -> {
                        if (!boundTo.equals(node)) {
                            throw refused(request, "node " + GoSyntax.quote(node)
                                    + " can only delete pods with spec.nodeName set to itself");
                        }
                    }
                    case CONNECT -> {
                        // exec, attach and port-forward are authorized by RBAC alone
                    }
                }
            }
            case "status" -> {
                ObjectNode old = request.oldObject();
                String stored = old == null ? boundTo : old.path("spec").path("nodeName").asString("");
                if (!stored.equals(node)) {
                    throw refused(request, "node " + GoSyntax.quote(node)
                            + " can only update pod status for pods with spec.nodeName set to itself");
                }
            }
            case "eviction" -> {
                if (!boundTo.equals(node)) {
                    throw refused(request, "node " + GoSyntax.quote(node)
                            + " can only evict pods with spec.nodeName set to itself");
                }
            }
            default -> throw refused(request, "unexpected operation " + request.operation() + ", subresource "
                    + request.subresource());
        }
    }

    private static void node(String node, AdmissionRequest request) {
        if (!request.name().equals(node)) {
            throw refused(request, "node " + GoSyntax.quote(node) + " is not allowed to modify node "
                    + GoSyntax.quote(request.name()));
        }
        if (request.operation() == Operation.DELETE) {
            return;
        }
        ObjectNode old = request.oldObject();
        Map<String, String> labels = Json.stringMap(request.object().path("metadata").path("labels"));
        Map<String, String> oldLabels = old == null ? Map.of() : Json.stringMap(old.path("metadata").path("labels"));
        TreeSet<String> restricted = new TreeSet<>();
        for (String key : union(labels, oldLabels)) {
            if (key.startsWith(RESTRICTED_LABEL_PREFIX) && !Objects.equals(labels.get(key), oldLabels.get(key))) {
                restricted.add(key);
            }
        }
        if (!restricted.isEmpty()) {
            throw refused(request, "is not allowed to modify labels: " + String.join(", ", restricted));
        }
        if (old != null && request.subresource().isEmpty()
                && !taints(request.object()).equals(taints(old))) {
            throw refused(request, "node " + GoSyntax.quote(node) + " is not allowed to modify taints");
        }
    }

    /**
     * As upstream: a node's TokenRequest must be bound to a pod (by name and uid) that is scheduled on the node, so
     * that a node cannot mint tokens of ServiceAccounts beyond the pods it runs.
     */
    private void serviceAccountToken(String node, AdmissionRequest request) {
        if (request.operation() != Operation.CREATE || !request.subresource().equals("token")) {
            return;
        }
        JsonNode ref = request.object().path("spec").path("boundObjectRef");
        String name = ref.path("name").asString("");
        if (!ref.path("apiVersion").asString("").equals("v1") || !ref.path("kind").asString("").equals("Pod")
                || name.isEmpty()) {
            throw refused(request, "node requested token not bound to a pod");
        }
        String uid = ref.path("uid").asString("");
        if (uid.isEmpty()) {
            throw refused(request, "node requested token with a pod binding without a uid");
        }
        ObjectNode pod = pods.get(Objects.requireNonNull(request.namespace()), name)
                .orElseThrow(() -> ApiException.notFound(PODS, name));
        if (!uid.equals(pod.path("metadata").path("uid").asString(""))) {
            throw refused(request, "the UID in the bound object reference (" + uid + ") does not match the UID in "
                    + "record. The object might have been deleted and then recreated");
        }
        if (!pod.path("spec").path("nodeName").asString("").equals(node)) {
            throw refused(request, "node requested token bound to a pod scheduled on a different node");
        }
    }

    private static void lease(String node, AdmissionRequest request) {
        if (!NodeAuthorizer.LEASE_NAMESPACE.equals(request.namespace()) || !request.name().equals(node)) {
            throw refused(request, "can only access node lease with the same name as the requesting node");
        }
    }

    private static JsonNode taints(ObjectNode node) {
        JsonNode taints = node.path("spec").path("taints");
        return taints.isArray() ? taints : Json.array();
    }

    private static TreeSet<String> union(Map<String, String> a, Map<String, String> b) {
        TreeSet<String> keys = new TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        return keys;
    }

    private static ApiException refused(AdmissionRequest request, String detail) {
        return ApiException.forbidden(request.type(), request.name(), detail);
    }
}
