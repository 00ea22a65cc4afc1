package io.platform.api.authorization.rbac;

import io.platform.api.auth.AuthenticatedUser;
import io.platform.api.authorization.Attributes;
import io.platform.api.authorization.Authorizer;
import io.platform.api.authorization.Decision;
import io.platform.common.golang.GoSyntax;
import io.platform.api.authorization.Rules;
import io.platform.api.authorization.Rules.NonResourceRule;
import io.platform.api.authorization.Rules.ResourceRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * kube-apiserver's RBAC authorizer over the {@link RbacPolicyCache}: the ClusterRoleBindings, then the RoleBindings
 * of the request's namespace, whose subjects include the user; the first rule of their roles that allows the request
 * decides, with upstream's reason ({@code RBAC: allowed by ClusterRoleBinding "x" of ClusterRole "y" to User "z"}).
 * Anything else is no opinion with an empty reason, unless a binding named a role that does not exist.
 */
public final class RbacAuthorizer implements Authorizer {

    private final RbacPolicyCache policy;

    public RbacAuthorizer(RbacPolicyCache policy) {
        this.policy = policy;
    }

    @Override
    public Decision decide(Attributes attributes) {
        List<String> errors = new ArrayList<>();
        for (RoleBindingEntry binding : bindings(attributes.namespace())) {
            Optional<Subject> subject = binding.subjectFor(attributes.user());
            if (subject.isEmpty()) {
                continue;
            }
            Optional<List<PolicyRule>> rules = roleRules(binding, errors);
            if (rules.isPresent() && RuleMatching.allowsAny(attributes, rules.get())) {
                return Decision.allow("RBAC: allowed by " + binding.describe(subject.get()));
            }
        }
        return Decision.noOpinion(errors.isEmpty() ? "" : "RBAC: " + aggregate(errors));
    }

    @Override
    public Rules rulesFor(AuthenticatedUser user, String namespace) {
        List<String> errors = new ArrayList<>();
        List<PolicyRule> rules = rules(user, namespace, errors);
        List<ResourceRule> resourceRules = new ArrayList<>();
        List<NonResourceRule> nonResourceRules = new ArrayList<>();
        for (PolicyRule rule : rules) {
            if (!rule.resources().isEmpty()) {
                resourceRules.add(new ResourceRule(rule.verbs(), rule.apiGroups(), rule.resources(),
                        rule.resourceNames()));
            }
            if (!rule.nonResourceURLs().isEmpty()) {
                nonResourceRules.add(new NonResourceRule(rule.verbs(), rule.nonResourceURLs()));
            }
        }
        return new Rules(resourceRules, nonResourceRules, !errors.isEmpty(), aggregate(errors));
    }

    /**
     * Every rule {@code user} holds in {@code namespace} ("" for cluster-wide rules only), as upstream's
     * RuleResolver.RulesFor; problems (roles that do not exist) are added to {@code errors}.
     */
    public List<PolicyRule> rules(AuthenticatedUser user, String namespace, List<String> errors) {
        List<PolicyRule> rules = new ArrayList<>();
        for (RoleBindingEntry binding : bindings(namespace)) {
            if (binding.subjectFor(user).isPresent()) {
                roleRules(binding, errors).ifPresent(rules::addAll);
            }
        }
        return rules;
    }

    /** The rules a role reference names, as upstream's GetRoleReferenceRules; empty with an error when missing. */
    public Optional<List<PolicyRule>> roleReferenceRules(String kind, String name, String namespace,
            List<String> errors) {
        Optional<RoleEntry> role = kind.equals("ClusterRole") ? policy.clusterRole(name)
                : kind.equals("Role") ? policy.role(namespace, name) : Optional.empty();
        if (role.isEmpty()) {
            errors.add(kind.equals("ClusterRole") || kind.equals("Role")
                    ? kind.toLowerCase(Locale.ROOT) + ".rbac.authorization.k8s.io " + GoSyntax.quote(name)
                            + " not found"
                    : "unsupported role reference kind: " + GoSyntax.quote(kind));
            return Optional.empty();
        }
        return Optional.of(role.get().rules());
    }

    private Optional<List<PolicyRule>> roleRules(RoleBindingEntry binding, List<String> errors) {
        return roleReferenceRules(binding.roleKind(), binding.roleName(), binding.namespace(), errors);
    }

    private List<RoleBindingEntry> bindings(String namespace) {
        List<RoleBindingEntry> bindings = new ArrayList<>(policy.clusterRoleBindings());
        if (!namespace.isEmpty()) {
            bindings.addAll(policy.roleBindings(namespace));
        }
        return bindings;
    }

    /** As Go's aggregate error: one error as it is, several in brackets. */
    static String aggregate(List<String> errors) {
        if (errors.isEmpty()) {
            return "";
        }
        return errors.size() == 1 ? errors.getFirst() : "[" + String.join(", ", errors) + "]";
    }
}
