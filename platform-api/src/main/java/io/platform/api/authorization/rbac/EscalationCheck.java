package io.platform.api.authorization.rbac;

import io.platform.api.admission.AdmissionPlugin;
import io.platform.api.admission.AdmissionRequest;
import io.platform.api.auth.AuthenticatedUser;
import io.platform.api.authorization.Attributes;
import io.platform.api.authorization.Authorizer;
import io.platform.common.golang.GoSyntax;
import io.platform.api.errors.ApiException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * RBAC's escalation prevention, as kube-apiserver's policy-based role and binding storage: nobody grants permissions
 * they do not hold. Writing a Role or ClusterRole needs the {@code escalate} verb on it or every one of its rules
 * (an aggregationRule needs {@code *} on everything); writing a RoleBinding or ClusterRoleBinding needs the
 * {@code bind} verb on the role it references or every rule of that role. {@code system:masters} is never checked.
 */
public final class EscalationCheck implements AdmissionPlugin {

    static final String GROUP = "rbac.authorization.k8s.io";
    private static final String PRIVILEGED_GROUP = "system:masters";
    private static final List<PolicyRule> FULL_AUTHORITY = List.of(
            PolicyRule.resources(List.of("*"), List.of("*"), List.of("*")),
            PolicyRule.urls(List.of("*"), List.of("*")));

    private final Authorizer authorizer;
    private final RbacAuthorizer rbac;

    public EscalationCheck(Authorizer authorizer, RbacAuthorizer rbac) {
        this.authorizer = authorizer;
        this.rbac = rbac;
    }

    @Override
    public String name() {
        return "RBACEscalation";
    }

    @Override
    public void validate(AdmissionRequest request) {
        if (!request.group().equals(GROUP) || !request.subresource().isEmpty()
                || (request.operation() != AdmissionRequest.Operation.CREATE
                        && request.operation() != AdmissionRequest.Operation.UPDATE)
                || request.user().groups().contains(PRIVILEGED_GROUP)) {
            return;
        }
        String namespace = request.namespace() == null ? "" : request.namespace();
        switch (request.resource()) {
            case "roles", "clusterroles" -> checkRole(request, namespace);
            case "rolebindings", "clusterrolebindings" -> checkBinding(request, namespace);
            default -> {
                // other RBAC resources do not exist
            }
        }
    }

    private void checkRole(AdmissionRequest request, String namespace) {
        ObjectNode role = request.object();
        ObjectNode old = request.oldObject();
        if (old != null && Objects.equals(role.path("rules"), old.path("rules"))
                && Objects.equals(role.path("aggregationRule"), old.path("aggregationRule"))) {
            return;
        }
        if (allowed(request.user(), "escalate", request.resource(), namespace, request.name())) {
            return;
        }
        confirmNoEscalation(request, namespace, PolicyRule.listOf(role.path("rules")), null);
        JsonNode aggregation = role.path("aggregationRule");
        if (aggregation.isObject()) {
            confirmNoEscalation(request, namespace, FULL_AUTHORITY,
                    "must have cluster-admin privileges to use the aggregationRule");
        }
    }

    private void checkBinding(AdmissionRequest request, String namespace) {
        ObjectNode binding = request.object();
        ObjectNode old = request.oldObject();
        JsonNode roleRef = binding.path("roleRef");
        if (old != null && Objects.equals(roleRef, old.path("roleRef"))
                && Objects.equals(binding.path("subjects"), old.path("subjects"))) {
            return;
        }
        String kind = roleRef.path("kind").asString("");
        String roleName = roleRef.path("name").asString("");
        String roleResource = kind.equals("ClusterRole") ? "clusterroles" : "roles";
        if (allowed(request.user(), "bind", roleResource, namespace, roleName)) {
            return;
        }
        List<String> errors = new ArrayList<>();
        Optional<List<PolicyRule>> rules = rbac.roleReferenceRules(kind, roleName, namespace, errors);
        if (rules.isEmpty()) {
            throw ApiException.forbidden(request.type(), request.name(), RbacAuthorizer.aggregate(errors));
        }
        confirmNoEscalation(request, namespace, rules.get(), null);
    }

    private boolean allowed(AuthenticatedUser user, String verb, String resource, String namespace, String name) {
        return authorizer.decide(Attributes.resource(user, verb, GROUP, "", resource, "", namespace, name)).allowed();
    }

    /** As upstream's ConfirmNoEscalation: the user's rules in the namespace must cover {@code rules}. */
    private void confirmNoEscalation(AdmissionRequest request, String namespace, List<PolicyRule> rules,
            @Nullable String message) {
        List<String> errors = new ArrayList<>();
        List<PolicyRule> owned = rbac.rules(request.user(), namespace, errors);
        List<PolicyRule> missing = RuleCoverage.uncovered(owned, rules);
        if (missing.isEmpty()) {
            return;
        }
        if (message != null) {
            throw ApiException.forbidden(request.type(), request.name(), message);
        }
        AuthenticatedUser user = request.user();
        StringBuilder detail = new StringBuilder("user ").append(GoSyntax.quote(user.name()))
                .append(" (groups=").append(PolicyRule.quoted(user.groups()))
                .append(") is attempting to grant RBAC permissions not currently held:");
        missing.forEach(rule -> detail.append('\n').append(rule.compactString()));
        if (!errors.isEmpty()) {
            detail.append("; resolution errors: ").append(RbacAuthorizer.aggregate(errors));
        }
        throw ApiException.forbidden(request.type(), request.name(), detail.toString());
    }
}
