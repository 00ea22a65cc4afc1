package io.platform.api.table;

import io.kubernetes.client.openapi.models.RbacV1Subject;
import io.kubernetes.client.openapi.models.V1RoleBinding;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** kube-apiserver's printers of rbac.authorization.k8s.io/v1: roles by creation time, bindings by role and subjects. */
final class RbacPrinters {

    private RbacPrinters() {}

    static void register(Map<String, Printer> printers) {
        Printer roles = new Printer(List.of(Column.name(0), Column.createdAt()),
                (role, now) -> List.of(Cells.name(role), Cells.createdAt(role)));
        printers.put("rbac.authorization.k8s.io/roles", roles);
        printers.put("rbac.authorization.k8s.io/clusterroles", roles);
        Printer bindings = new Printer(List.of(Column.name(0),
                Column.field("Role", V1RoleBinding.class, "roleRef"),
                Column.age(),
                Column.wide("Users", RbacV1Subject.class, "name"),
                Column.wide("Groups", RbacV1Subject.class, "name"),
                Column.wide("ServiceAccounts", RbacV1Subject.class, "name")),
                (binding, now) -> List.of(Cells.name(binding),
                        Json.text(binding, "roleRef", "kind") + "/" + Json.text(binding, "roleRef", "name"),
                        Cells.age(binding, now), subjects(binding, "User"), subjects(binding, "Group"),
                        subjects(binding, "ServiceAccount")));
        printers.put("rbac.authorization.k8s.io/rolebindings", bindings);
        printers.put("rbac.authorization.k8s.io/clusterrolebindings", bindings);
    }

    /** As upstream's SubjectsStrings: names joined by ", ", service accounts as {@code namespace:name}. */
    private static String subjects(JsonNode binding, String kind) {
        List<String> names = new ArrayList<>();
        for (JsonNode subject : Json.array(binding, "subjects")) {
            if (Json.text(subject, "kind").equals(kind)) {
                names.add(kind.equals("ServiceAccount")
                        ? Json.text(subject, "namespace") + ":" + Json.text(subject, "name")
                        : Json.text(subject, "name"));
            }
        }
        return String.join(", ", names);
    }
}
