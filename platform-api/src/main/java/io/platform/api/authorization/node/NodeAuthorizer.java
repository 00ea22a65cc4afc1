package io.platform.api.authorization.node;

import io.platform.api.auth.AuthenticatedUser;
import io.platform.api.authorization.Attributes;
import io.platform.api.authorization.Authorizer;
import io.platform.api.authorization.Decision;
import io.platform.api.authorization.Rules;
import io.platform.api.authorization.rbac.PolicyRule;
import io.platform.api.authorization.rbac.RuleMatching;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * kube-apiserver's Node authorizer: for nodes only (others get no opinion), reads of Secrets, ConfigMaps,
 * PersistentVolumeClaims and ServiceAccounts (and ServiceAccount tokens) are allowed when a pod bound to the node
 * references the object, as the {@link NodeGraph} knows; a node's Lease only by its own name in
 * {@code kube-node-lease}; everything else as the {@code system:node} role's rules allow. NodeRestriction admission
 * then confines writes to the node's own objects.
 */
public final class NodeAuthorizer implements Authorizer {

    static final String LEASE_NAMESPACE = "kube-node-lease";
    private static final Set<String> GRAPH_RESOURCES = Set.of("secrets", "configmaps", "persistentvolumeclaims",
            "serviceaccounts");
    private static final Set<String> READ_VERBS = Set.of("get", "list", "watch");
    private static final Set<String> LEASE_VERBS = Set.of("get", "create", "update", "patch", "delete");
    private static final Decision ALLOW = Decision.allow("");

    private final NodeGraph graph;
    private final List<PolicyRule> nodeRules;

    public NodeAuthorizer(NodeGraph graph, List<PolicyRule> nodeRules) {
        this.graph = graph;
        this.nodeRules = List.copyOf(nodeRules);
    }

    @Override
    public Decision decide(Attributes attributes) {
        Optional<String> node = NodeIdentity.nodeName(attributes.user());
        if (node.isEmpty()) {
            return Decision.noOpinion("");
        }
        if (attributes.resourceRequest()) {
            if (attributes.apiGroup().isEmpty() && GRAPH_RESOURCES.contains(attributes.resource())) {
                if (attributes.resource().equals("serviceaccounts") && attributes.subresource().equals("token")) {
                    return createToken(node.get(), attributes);
                }
                if (attributes.subresource().isEmpty()) {
                    return read(node.get(), attributes);
                }
            }
            if (attributes.apiGroup().equals("coordination.k8s.io") && attributes.resource().equals("leases")) {
                return lease(node.get(), attributes);
            }
        }
        return RuleMatching.allowsAny(attributes, nodeRules) ? ALLOW : Decision.noOpinion("");
    }

    /**
     * Whether a refusal of these attributes may only mean that the graph has not seen a new pod yet: a node reading
     * one object of a kind its pods reference.
     */
    public static boolean decidedByGraph(Attributes attributes) {
        return NodeIdentity.nodeName(attributes.user()).isPresent() && attributes.resourceRequest()
                && attributes.apiGroup().isEmpty() && GRAPH_RESOURCES.contains(attributes.resource())
                && !attributes.name().isEmpty()
                && (attributes.subresource().isEmpty() || attributes.subresource().equals("token"));
    }

    /** As upstream's authorizeReadNamespacedObject: one named object, referenced by a pod of this node. */
    private Decision read(String node, Attributes attributes) {
        if (!READ_VERBS.contains(attributes.verb())) {
            return Decision.noOpinion("can only read resources of this type");
        }
        if (attributes.name().isEmpty()) {
            return Decision.noOpinion("No Object name found");
        }
        return related(node, attributes);
    }

    private Decision createToken(String node, Attributes attributes) {
        if (!attributes.verb().equals("create") || attributes.name().isEmpty()) {
            return Decision.noOpinion("can only create tokens for individual service accounts");
        }
        return related(node, attributes);
    }

    private Decision related(String node, Attributes attributes) {
        if (graph.references(node, attributes.resource(), attributes.namespace(), attributes.name())) {
            return ALLOW;
        }
        return Decision.noOpinion("no relationship found between node '" + node + "' and this object");
    }

    /** As upstream's authorizeLease; a create's name is checked by NodeRestriction, which sees the object. */
    private static Decision lease(String node, Attributes attributes) {
        if (!LEASE_VERBS.contains(attributes.verb())) {
            return Decision.noOpinion("can only get, create, update, patch, or delete a node lease");
        }
        if (!attributes.namespace().equals(LEASE_NAMESPACE)) {
            return Decision.noOpinion("can only access leases in the kube-node-lease namespace");
        }
        if (!attributes.verb().equals("create") && !attributes.name().equals(node)) {
            return Decision.noOpinion("can only access node lease with the same name as the requesting node");
        }
        return ALLOW;
    }

    /** As upstream: a node's rules cannot be listed (they depend on its pods). */
    @Override
    public Rules rulesFor(AuthenticatedUser user, String namespace) {
        if (NodeIdentity.nodeName(user).isPresent()) {
            return new Rules(List.of(), List.of(), true, "node authorizer does not support user rule resolution");
        }
        return new Rules(List.of(), List.of(), false, "");
    }
}
