package io.platform.api.authorization.rbac;

import io.platform.api.auth.AuthenticatedUser;
import io.platform.common.golang.GoSyntax;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * A RoleBinding ({@code namespace} set) or ClusterRoleBinding ({@code namespace} ""), as the authorizer holds it.
 *
 * @param roleKind {@code Role} or {@code ClusterRole}
 */
public record RoleBindingEntry(String namespace, String name, String roleKind, String roleName,
        List<Subject> subjects) {

    public RoleBindingEntry {
        subjects = List.copyOf(subjects);
    }

    static RoleBindingEntry of(JsonNode binding) {
        List<Subject> subjects = new ArrayList<>();
        binding.path("subjects").forEach(subject -> subjects.add(Subject.of(subject)));
        return new RoleBindingEntry(binding.path("metadata").path("namespace").asString(""),
                binding.path("metadata").path("name").asString(""),
                binding.path("roleRef").path("kind").asString(""), binding.path("roleRef").path("name").asString(""),
                subjects);
    }

    boolean clusterWide() {
        return namespace.isEmpty();
    }

    /** The first subject that is {@code user}, as upstream's appliesTo. */
    Optional<Subject> subjectFor(AuthenticatedUser user) {
        return subjects.stream().filter(subject -> subject.appliesTo(user, namespace)).findFirst();
    }

    /**
     * As upstream's binding describers in allowed reasons: {@code ClusterRoleBinding "x" of ClusterRole "y" to User
     * "z"}, {@code RoleBinding "x/ns" of Role "y" to ...}.
     */
    String describe(Subject subject) {
        String binding = clusterWide() ? "ClusterRoleBinding " + GoSyntax.quote(name)
                : "RoleBinding " + GoSyntax.quote(name + "/" + namespace);
        return binding + " of " + roleKind + " " + GoSyntax.quote(roleName) + " to " + subject.describe(namespace);
    }
}
