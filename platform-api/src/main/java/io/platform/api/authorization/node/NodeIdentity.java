package io.platform.api.authorization.node;

import io.platform.api.auth.AuthenticatedUser;
import java.util.Optional;

/** Who is a node, as upstream's NodeIdentifier: user {@code system:node:<name>} in group {@code system:nodes}. */
public final class NodeIdentity {

    static final String USER_PREFIX = "system:node:";
    static final String NODES_GROUP = "system:nodes";

    private NodeIdentity() {}

    /** The node's name when {@code user} is a node; empty otherwise (also for a name without a node part). */
    public static Optional<String> nodeName(AuthenticatedUser user) {
        if (!user.name().startsWith(USER_PREFIX) || !user.groups().contains(NODES_GROUP)) {
            return Optional.empty();
        }
        String name = user.name().substring(USER_PREFIX.length());
        return name.isEmpty() ? Optional.empty() : Optional.of(name);
    }
}
