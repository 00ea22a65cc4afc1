package io.platform.server.identity;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** One local user of the built-in provider: the name is the Kubernetes user name, the groups its groups. */
public record LocalUser(String name, String passwordHash, @Nullable String email, List<String> groups) {

    public LocalUser {
        groups = List.copyOf(groups);
    }
}
