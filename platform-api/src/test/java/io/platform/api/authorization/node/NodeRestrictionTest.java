package io.platform.api.authorization.node;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.platform.api.admission.AdmissionRequest;
import io.platform.api.admission.AdmissionRequest.Operation;
import io.platform.api.auth.AuthenticatedUser;
import io.platform.api.json.Json;
import io.platform.api.registry.BuiltinResources;
import io.platform.api.registry.ResourceType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** NodeRestriction: a node writes only its own Node, its pods' status and its own Lease. */
class NodeRestrictionTest {

    private static final AuthenticatedUser N1 = new AuthenticatedUser("system:node:n1",
            List.of("system:nodes", "system:authenticated"));
    private static final ResourceType PODS = BuiltinResources.find("", "v1", "pods").orElseThrow();
    private static final ResourceType NODES = BuiltinResources.find("", "v1", "nodes").orElseThrow();
    private static final ResourceType LEASES = BuiltinResources.find("coordination.k8s.io", "v1", "leases").orElseThrow();

    private static final ResourceType SERVICE_ACCOUNTS = BuiltinResources.find("", "v1", "serviceaccounts").orElseThrow();

    private final Map<String, ObjectNode> pods = Map.of(
            "team/mine", json("{\"metadata\":{\"name\":\"mine\",\"uid\":\"u1\"},\"spec\":{\"nodeName\":\"n1\"}}"),
            "team/theirs", json("{\"metadata\":{\"name\":\"theirs\",\"uid\":\"u2\"},\"spec\":{\"nodeName\":\"n2\"}}"));
    private final NodeRestriction plugin = new NodeRestriction(
            (namespace, name) -> Optional.ofNullable(pods.get(namespace + "/" + name)));

    @Test
    void tokensOnlyBoundToAPodOnTheNode() {
        assertThatCode(() -> plugin.validate(token("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"name\":\"mine\",\"uid\":\"u1\"}")))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> plugin.validate(token(null)))
                .hasMessage("serviceaccounts \"sa\" is forbidden: node requested token not bound to a pod");
        assertThatThrownBy(() -> plugin.validate(token("{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"name\":\"s\",\"uid\":\"u\"}")))
                .hasMessageContaining("node requested token not bound to a pod");
        assertThatThrownBy(() -> plugin.validate(token("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"name\":\"mine\"}")))
                .hasMessageContaining("node requested token with a pod binding without a uid");
        assertThatThrownBy(() -> plugin.validate(token("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"name\":\"mine\",\"uid\":\"old\"}")))
                .hasMessageContaining("the UID in the bound object reference (old) does not match the UID in record");
        assertThatThrownBy(() -> plugin.validate(token("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"name\":\"theirs\",\"uid\":\"u2\"}")))
                .hasMessageContaining("node requested token bound to a pod scheduled on a different node");
        assertThatThrownBy(() -> plugin.validate(token("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"name\":\"gone\",\"uid\":\"u3\"}")))
                .hasMessage("pods \"gone\" not found");
    }

    private static AdmissionRequest token(@Nullable String boundObjectRef) {
        ObjectNode request = json("{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenRequest\",\"spec\":"
                + (boundObjectRef == null ? "{}" : "{\"boundObjectRef\":" + boundObjectRef + "}") + "}");
        return request(Operation.CREATE, SERVICE_ACCOUNTS, "token", "team", "sa", request, null);
    }

    @Test
    void podStatusOnlyForItsOwnPods() {
        ObjectNode mine = json("{\"metadata\":{\"name\":\"p\"},\"spec\":{\"nodeName\":\"n1\"}}");
        ObjectNode theirs = json("{\"metadata\":{\"name\":\"p\"},\"spec\":{\"nodeName\":\"n2\"}}");
        assertThatCode(() -> plugin.validate(request(Operation.UPDATE, PODS, "status", "team", "p", mine, mine)))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> plugin.validate(request(Operation.UPDATE, PODS, "status", "team", "p", mine, theirs)))
                .hasMessage("pods \"p\" is forbidden: node \"n1\" can only update pod status for pods with"
                        + " spec.nodeName set to itself");
        assertThatThrownBy(() -> plugin.validate(request(Operation.UPDATE, PODS, "", "team", "p", mine, mine)))
                .hasMessage("pods \"p\" is forbidden: node \"n1\" can only update pod status");
        assertThatThrownBy(() -> plugin.validate(request(Operation.CREATE, PODS, "", "team", "p", mine, null)))
                .hasMessageContaining("can only create mirror pods");
        assertThatCode(() -> plugin.validate(request(Operation.DELETE, PODS, "", "team", "p", mine, null)))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> plugin.validate(request(Operation.DELETE, PODS, "", "team", "p", theirs, null)))
                .hasMessageContaining("can only delete pods with spec.nodeName set to itself");
    }

    @Test
    void onlyItsOwnNodeWithoutRestrictedLabelsOrTaintChanges() {
        ObjectNode own = json("{\"metadata\":{\"name\":\"n1\",\"labels\":{\"a\":\"b\"}}}");
        assertThatCode(() -> plugin.validate(request(Operation.CREATE, NODES, "", null, "n1", own, null)))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> plugin.validate(request(Operation.UPDATE, NODES, "", null, "n2", own, own)))
                .hasMessage("nodes \"n2\" is forbidden: node \"n1\" is not allowed to modify node \"n2\"");
        ObjectNode labelled = json("{\"metadata\":{\"name\":\"n1\",\"labels\":"
                + "{\"node-restriction.kubernetes.io/zone\":\"x\"}}}");
        assertThatThrownBy(() -> plugin.validate(request(Operation.UPDATE, NODES, "", null, "n1", labelled, own)))
                .hasMessage("nodes \"n1\" is forbidden: is not allowed to modify labels:"
                        + " node-restriction.kubernetes.io/zone");
        ObjectNode tainted = json("{\"metadata\":{\"name\":\"n1\",\"labels\":{\"a\":\"b\"}},"
                + "\"spec\":{\"taints\":[{\"key\":\"k\",\"effect\":\"NoSchedule\"}]}}");
        assertThatThrownBy(() -> plugin.validate(request(Operation.UPDATE, NODES, "", null, "n1", own, tainted)))
                .hasMessageContaining("is not allowed to modify taints");
        assertThatCode(() -> plugin.validate(request(Operation.UPDATE, NODES, "status", null, "n1", own, tainted)))
                .doesNotThrowAnyException();
    }

    @Test
    void onlyItsOwnLeaseAndOthersPass() {
        ObjectNode lease = json("{\"metadata\":{\"name\":\"n1\"}}");
        assertThatCode(() -> plugin.validate(request(Operation.CREATE, LEASES, "", "kube-node-lease", "n1", lease, null)))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> plugin.validate(request(Operation.CREATE, LEASES, "", "kube-node-lease", "n2", lease,
                null))).hasMessageContaining("can only access node lease with the same name as the requesting node");
        AuthenticatedUser admin = new AuthenticatedUser("admin", List.of("system:masters"));
        assertThatCode(() -> plugin.validate(new AdmissionRequest(Operation.UPDATE, NODES, "", null, "n2", lease, lease,
                admin, false, new ArrayList<>()))).doesNotThrowAnyException();
    }

    private static AdmissionRequest request(Operation operation, ResourceType type, String subresource,
            @Nullable String namespace, String name, ObjectNode object, @Nullable ObjectNode old) {
        return new AdmissionRequest(operation, type, subresource, namespace, name, object, old, N1, false,
                new ArrayList<>());
    }

    private static ObjectNode json(String text) {
        return Json.parseObject(text.getBytes(StandardCharsets.UTF_8));
    }
}
