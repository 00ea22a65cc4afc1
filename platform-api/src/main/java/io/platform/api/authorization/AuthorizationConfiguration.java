package io.platform.api.authorization;

import io.platform.api.admission.AdmissionOrder;
import io.platform.api.admission.ObjectLookup;
import io.platform.api.authorization.bootstrap.BootstrapPolicy;
import io.platform.api.authorization.bootstrap.BootstrapPolicyReconciler;
import io.platform.api.authorization.node.NodeAuthorizer;
import io.platform.api.authorization.node.NodeGraph;
import io.platform.api.authorization.node.NodeRestriction;
import io.platform.api.authorization.rbac.ClusterRoleAggregation;
import io.platform.api.authorization.rbac.EscalationCheck;
import io.platform.api.authorization.rbac.RbacAuthorizer;
import io.platform.api.authorization.rbac.RbacPolicyCache;
import io.platform.api.resource.ResourceStorage;
import io.platform.api.storage.Store;
import io.platform.api.watch.WatchHub;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

/**
 * Wires authorization as kube-apiserver's {@code --authorization-mode} (property
 * {@code platform.api.authorization.modes}, default {@code Node,RBAC}): the bootstrap RBAC policy, the RBAC objects
 * and the node graph followed from the store's watch and ClusterRole aggregation (all started by
 * {@link AuthorizationStartup} before the server serves), the authorizers in mode order behind the privileged group,
 * the filter that asks them about every request, and the NodeRestriction and RBAC escalation admission plugins.
 */
@Configuration(proxyBeanMethods = false)
public class AuthorizationConfiguration {

    @Bean
    BootstrapPolicyReconciler bootstrapPolicyReconciler(ResourceStorage storage) {
        return new BootstrapPolicyReconciler(storage);
    }

    @Bean
    RbacPolicyCache rbacPolicyCache() {
        return new RbacPolicyCache();
    }

    @Bean(destroyMethod = "close")
    StoreFeed rbacFeed(Store store, WatchHub hub, RbacPolicyCache cache) {
        return new StoreFeed(store, hub, RbacPolicyCache.PREFIX, cache);
    }

    @Bean(destroyMethod = "close")
    ClusterRoleAggregation clusterRoleAggregation(ResourceStorage storage, RbacPolicyCache cache) {
        return new ClusterRoleAggregation(storage, cache);
    }

    @Bean
    NodeGraph nodeGraph() {
        return new NodeGraph();
    }

    @Bean(destroyMethod = "close")
    StoreFeed nodeGraphFeed(Store store, WatchHub hub, NodeGraph graph) {
        return new StoreFeed(store, hub, NodeGraph.PODS_PREFIX, graph);
    }

    @Bean
    AuthorizationStartup authorizationStartup(BootstrapPolicyReconciler bootstrap,
            @Qualifier("rbacFeed") StoreFeed rbacFeed, @Qualifier("nodeGraphFeed") StoreFeed nodeGraphFeed,
            ClusterRoleAggregation aggregation) {
        return new AuthorizationStartup(bootstrap, rbacFeed, nodeGraphFeed, aggregation);
    }

    @Bean
    Authorizer authorizer(AuthorizationProperties properties, RbacPolicyCache cache, NodeGraph graph) {
        List<Authorizer> authorizers = new ArrayList<>();
        for (String mode : properties.modes()) {
            authorizers.add(switch (mode) {
                case "Node" -> new NodeAuthorizer(graph, BootstrapPolicy.nodeRules());
                case "RBAC" -> new RbacAuthorizer(cache);
                case "AlwaysAllow" -> new AlwaysAllowAuthorizer();
                case "AlwaysDeny" -> new AlwaysDenyAuthorizer();
                default -> throw new IllegalArgumentException("platform.api.authorization.modes: unknown mode \""
                        + mode + "\" (known: Node, RBAC, AlwaysAllow, AlwaysDeny)");
            });
        }
        if (authorizers.isEmpty()) {
            throw new IllegalArgumentException("platform.api.authorization.modes: at least one mode is required");
        }
        return new UnionAuthorizer(authorizers);
    }

    @Bean
    AuthorizationFilter authorizationFilter(Authorizer authorizer, AuthorizationProperties properties) {
        return new AuthorizationFilter(authorizer, properties.nodeGraphWait());
    }

    @Bean
    @Order(AdmissionOrder.NODE_RESTRICTION)
    NodeRestriction nodeRestriction(ObjectLookup lookup) {
        return NodeRestriction.reading(lookup);
    }

    @Bean
    @Order(AdmissionOrder.POLICY)
    EscalationCheck rbacEscalationCheck(Authorizer authorizer, RbacPolicyCache cache) {
        return new EscalationCheck(authorizer, new RbacAuthorizer(cache));
    }
}
