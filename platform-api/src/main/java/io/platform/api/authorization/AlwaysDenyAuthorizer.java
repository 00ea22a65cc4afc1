package io.platform.api.authorization;

import io.platform.api.auth.AuthenticatedUser;
import java.util.List;

/** kube-apiserver's {@code AlwaysDeny} authorization mode: every request is denied, nobody has rules. */
public final class AlwaysDenyAuthorizer implements Authorizer {

    private static final Decision DENY = Decision.noOpinion("Everything is forbidden.");

    @Override
    public Decision decide(Attributes attributes) {
        return DENY;
    }

    @Override
    public Rules rulesFor(AuthenticatedUser user, String namespace) {
        return new Rules(List.of(), List.of(), false, "");
    }
}
