package io.platform.api.strategy;

import io.platform.api.errors.StatusCause;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * RoleBindings and ClusterRoleBindings: subjects' apiGroup defaulted as upstream's SetDefaults_Subject, a roleRef
 * that cannot change, and subjects of the three known kinds.
 */
final class RoleBindingStrategy implements ResourceStrategy {

    private static final String RBAC_GROUP = "rbac.authorization.k8s.io";
    private static final List<String> SUBJECT_KINDS = List.of("ServiceAccount", "User", "Group");

    private final boolean cluster;

    RoleBindingStrategy(boolean cluster) {
        this.cluster = cluster;
    }

    @Override
    public NameRule nameRule() {
        return NameRule.PATH_SEGMENT;
    }

    @Override
    public void applyDefaults(ObjectNode binding) {
        for (JsonNode subject : binding.path("subjects")) {
            if (subject instanceof ObjectNode s && !s.has("apiGroup")) {
                String kind = s.path("kind").asString("");
                if (kind.equals("ServiceAccount")) {
                    s.put("apiGroup", "");
                } else if (kind.equals("User") || kind.equals("Group")) {
                    s.put("apiGroup", RBAC_GROUP);
                }
            }
        }
    }

    @Override
    public List<StatusCause> validate(ObjectNode binding) {
        List<StatusCause> causes = new ArrayList<>();
        JsonNode roleRef = binding.path("roleRef");
        if (!roleRef.path("apiGroup").asString("").equals(RBAC_GROUP)) {
            causes.add(StatusCause.notSupported("roleRef.apiGroup", roleRef.path("apiGroup").asString(""), List.of(RBAC_GROUP)));
        }
        List<String> roleKinds = cluster ? List.of("ClusterRole") : List.of("Role", "ClusterRole");
        String kind = roleRef.path("kind").asString("");
        if (kind.isEmpty()) {
            causes.add(StatusCause.required("roleRef.kind", ""));
        } else {
            Values.supported(roleRef, "kind", "roleRef.kind", roleKinds, causes);
        }
        String name = roleRef.path("name").asString("");
        if (name.isEmpty()) {
            causes.add(StatusCause.required("roleRef.name", ""));
        } else {
            NameRule.PATH_SEGMENT.problems(name).forEach(p -> causes.add(StatusCause.invalid("roleRef.name", name, p)));
        }
        int i = 0;
        for (JsonNode subject : binding.path("subjects")) {
            validateSubject(subject, "subjects[" + i++ + "]", causes);
        }
        return causes;
    }

    private void validateSubject(JsonNode subject, String at, List<StatusCause> causes) {
        String name = subject.path("name").asString("");
        if (name.isEmpty()) {
            causes.add(StatusCause.required(at + ".name", ""));
        }
        String kind = subject.path("kind").asString("");
        switch (kind) {
            case "ServiceAccount" -> {
                if (!name.isEmpty()) {
                    NameRule.DNS_SUBDOMAIN.problems(name).forEach(p -> causes.add(StatusCause.invalid(at + ".name", name, p)));
                }
                if (!subject.path("apiGroup").asString("").isEmpty()) {
                    causes.add(StatusCause.notSupported(at + ".apiGroup", subject.path("apiGroup").asString(""), List.of("")));
                }
                if (cluster && subject.path("namespace").asString("").isEmpty()) {
                    causes.add(StatusCause.required(at + ".namespace", ""));
                }
            }
            case "User", "Group" -> {
                if (!subject.path("apiGroup").asString("").equals(RBAC_GROUP)) {
                    causes.add(StatusCause.notSupported(at + ".apiGroup", subject.path("apiGroup").asString(""),
                            List.of(RBAC_GROUP)));
                }
            }
            default -> causes.add(StatusCause.notSupported(at + ".kind", kind, SUBJECT_KINDS));
        }
    }

    @Override
    public List<StatusCause> validateUpdate(ObjectNode binding, ObjectNode old) {
        if (!binding.path("roleRef").equals(old.path("roleRef"))) {
            return List.of(StatusCause.invalid("roleRef", Values.display(binding.path("roleRef")), "cannot change roleRef"));
        }
        return List.of();
    }
}
