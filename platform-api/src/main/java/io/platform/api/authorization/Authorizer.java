package io.platform.api.authorization;

import io.platform.api.auth.AuthenticatedUser;

/**
 * Decides whether a user may do what a request asks, and lists what a user may do, as kube-apiserver's
 * authorizer.Authorizer and RuleResolver. The API server asks it for every request (through
 * {@link AuthorizationFilter}) and for the access and rules reviews. Implementations must not block: they run on
 * the request's event loop, so an RBAC authorizer decides from objects it already holds in memory.
 */
public interface Authorizer {

    Decision decide(Attributes attributes);

    /** The rules {@code user} has in {@code namespace} (cluster-wide rules included). */
    Rules rulesFor(AuthenticatedUser user, String namespace);
}
