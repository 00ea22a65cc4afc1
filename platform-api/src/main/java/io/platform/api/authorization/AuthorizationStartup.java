package io.platform.api.authorization;

import io.platform.api.authorization.bootstrap.BootstrapPolicyReconciler;
import io.platform.api.authorization.rbac.ClusterRoleAggregation;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Brings authorization's in-memory state up once every bean exists and before the server listens, as upstream's
 * {@code rbac/bootstrap-roles} post-start hook gates readiness: the bootstrap policy is written (through storage and
 * its admission chain, whose plugins may need the authorizer, hence not earlier), then the RBAC objects and the
 * node graph are read, then aggregation runs. The first request is therefore authorized against the full policy.
 */
final class AuthorizationStartup implements SmartInitializingSingleton {

    private final BootstrapPolicyReconciler bootstrap;
    private final StoreFeed rbacFeed;
    private final StoreFeed nodeGraphFeed;
    private final ClusterRoleAggregation aggregation;

    AuthorizationStartup(BootstrapPolicyReconciler bootstrap, StoreFeed rbacFeed, StoreFeed nodeGraphFeed,
            ClusterRoleAggregation aggregation) {
        this.bootstrap = bootstrap;
        this.rbacFeed = rbacFeed;
        this.nodeGraphFeed = nodeGraphFeed;
        this.aggregation = aggregation;
    }

    @Override
    public void afterSingletonsInstantiated() {
        bootstrap.reconcile();
        rbacFeed.start();
        nodeGraphFeed.start();
        aggregation.start();
    }
}
