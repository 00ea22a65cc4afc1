package io.platform.agent.server;

import java.util.List;
import java.util.Map;

/** Who called the agent's API, as the API server names users in a SubjectAccessReview. */
record RequestUser(String name, String uid, List<String> groups, Map<String, List<String>> extra) {

    static final String AUTHENTICATED_GROUP = "system:authenticated";

    RequestUser {
        groups = List.copyOf(groups);
        extra = Map.copyOf(extra);
    }
}
