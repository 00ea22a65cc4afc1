package io.platform.api.authorization;

import io.platform.api.auth.AuthenticatedUser;
import io.platform.api.authorization.Rules.NonResourceRule;
import io.platform.api.authorization.Rules.ResourceRule;
import java.util.List;

/**
 * kube-apiserver's {@code AlwaysAllow} authorization mode: every request of every user is allowed, and everyone's
 * rules are {@code *} on every resource and non-resource URL. For servers on plain HTTP in tests
 * ({@code platform.api.authorization.modes=AlwaysAllow}), where every request is anonymous.
 */
public final class AlwaysAllowAuthorizer implements Authorizer {

    private static final Decision ALLOW = Decision.allow("");
    private static final List<String> ANY = List.of("*");
    private static final Rules EVERYTHING = new Rules(
            List.of(new ResourceRule(ANY, ANY, ANY, List.of())),
            List.of(new NonResourceRule(ANY, ANY)),
            false, "");

    @Override
    public Decision decide(Attributes attributes) {
        return ALLOW;
    }

    @Override
    public Rules rulesFor(AuthenticatedUser user, String namespace) {
        return EVERYTHING;
    }
}
