package io.platform.api.authorization.rbac;

import io.platform.api.auth.AuthenticatedUser;
import io.platform.common.golang.GoSyntax;
import tools.jackson.databind.JsonNode;

/**
 * Who a binding grants its role to: a User, a Group, or a ServiceAccount (whose namespace defaults to the
 * RoleBinding's, as upstream).
 */
public record Subject(String kind, String name, String namespace) {

    public static final String USER = "User";
    public static final String GROUP = "Group";
    public static final String SERVICE_ACCOUNT = "ServiceAccount";
    static final String SERVICE_ACCOUNT_PREFIX = "system:serviceaccount:";

    static Subject of(JsonNode subject) {
        return new Subject(subject.path("kind").asString(""), subject.path("name").asString(""),
                subject.path("namespace").asString(""));
    }

    /** Whether this subject of a binding in {@code bindingNamespace} ("" for cluster bindings) is {@code user}. */
    boolean appliesTo(AuthenticatedUser user, String bindingNamespace) {
        return switch (kind) {
            case USER -> user.name().equals(name);
            case GROUP -> user.groups().contains(name);
            case SERVICE_ACCOUNT -> {
                String saNamespace = namespace.isEmpty() ? bindingNamespace : namespace;
                yield !saNamespace.isEmpty() && !name.isEmpty()
                        && user.name().equals(SERVICE_ACCOUNT_PREFIX + saNamespace + ":" + name);
            }
            default -> false;
        };
    }

    /** As upstream's describeSubject in RBAC's reasons: {@code User "bob"}, {@code ServiceAccount "name/ns"}. */
    String describe(String bindingNamespace) {
        if (kind.equals(SERVICE_ACCOUNT)) {
            return kind + " " + GoSyntax.quote(name + "/" + (namespace.isEmpty() ? bindingNamespace : namespace));
        }
        return kind + " " + GoSyntax.quote(name);
    }
}
