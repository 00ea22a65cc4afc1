package io.platform.api.authorization.rbac;

import io.platform.api.registry.BuiltinResources;
import io.platform.api.registry.ResourceType;
import io.platform.api.resource.ResourceStorage;
import io.platform.api.resource.UpdateMode;
import io.platform.api.selection.LabelSelector;
import io.platform.api.selection.SelectorException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * The ClusterRole aggregation reconciler, as kube-controller-manager's clusterrole-aggregation controller but inside
 * the API server: a ClusterRole with {@code aggregationRule.clusterRoleSelectors} gets, as its {@code rules}, every
 * distinct rule of the other ClusterRoles any selector matches (in name order), written into the object so that
 * {@code kubectl get clusterrole admin -o yaml} shows them. Chains ({@code view} into {@code edit} into
 * {@code admin}) settle because each write is itself a ClusterRole change.
 */
public final class ClusterRoleAggregation implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ClusterRoleAggregation.class);
    private static final int MAX_ROUNDS = 16;
    static final ResourceType CLUSTER_ROLES = BuiltinResources.find(EscalationCheck.GROUP, "v1", "clusterroles")
            .orElseThrow();

    private final ResourceStorage storage;
    private final RbacPolicyCache policy;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("clusterrole-aggregation").daemon().factory());
    private final AtomicBoolean pending = new AtomicBoolean();

    public ClusterRoleAggregation(ResourceStorage storage, RbacPolicyCache policy) {
        this.storage = storage;
        this.policy = policy;
    }

    /** Aggregates now (blocking), then again after every ClusterRole change the cache sees. */
    public void start() {
        reconcile();
        policy.onClusterRoleChange(this::request);
    }

    /** Queues one reconcile; changes arriving while one is queued collapse into it. */
    private void request() {
        if (pending.compareAndSet(false, true)) {
            worker.execute(() -> {
                pending.set(false);
                reconcile();
            });
        }
    }

    /** Writes the aggregated rules of every aggregated ClusterRole whose stored rules differ. */
    void reconcile() {
        Map<String, List<PolicyRule>> changed = aggregate(policy.clusterRoles());
        changed.forEach(this::write);
    }

    private void write(String name, List<PolicyRule> rules) {
        try {
            storage.update(CLUSTER_ROLES, null, name, UpdateMode.MAIN, false, role -> {
                role.set("rules", PolicyRule.toJson(rules));
                return role;
            });
            log.info("aggregated {} rules into clusterrole {}", rules.size(), name);
        } catch (RuntimeException e) {
            // the next ClusterRole change (or a restart) aggregates again
            log.warn("could not write the aggregated rules of clusterrole {}: {}", name, e.getMessage());
        }
    }

    /**
     * The aggregated roles whose rules must change, with their new rules, computed to a fixed point over
     * {@code roles} so that chained aggregations settle in one pass.
     */
    static Map<String, List<PolicyRule>> aggregate(Collection<RoleEntry> roles) {
        Map<String, RoleEntry> byName = new TreeMap<>();
        roles.forEach(role -> byName.put(role.name(), role));
        Map<String, List<PolicyRule>> changed = new LinkedHashMap<>();
        for (int round = 0; round < MAX_ROUNDS; round++) {
            boolean any = false;
            for (RoleEntry role : List.copyOf(byName.values())) {
                if (!role.aggregated()) {
                    continue;
                }
                List<PolicyRule> rules = rulesFor(role, byName.values());
                if (!rules.equals(role.rules())) {
                    byName.put(role.name(), new RoleEntry("", role.name(), rules, role.labels(),
                            role.aggregationSelectors()));
                    changed.put(role.name(), rules);
                    any = true;
                }
            }
            if (!any) {
                break;
            }
        }
        return changed;
    }

    private static List<PolicyRule> rulesFor(RoleEntry aggregated, Collection<RoleEntry> roles) {
        List<LabelSelector> selectors = new ArrayList<>();
        for (JsonNode selector : aggregated.aggregationSelectors()) {
            try {
                selectors.add(LabelSelector.fromObject(selector));
            } catch (SelectorException e) {
                log.warn("clusterrole {} has an invalid aggregation selector: {}", aggregated.name(), e.getMessage());
            }
        }
        List<PolicyRule> rules = new ArrayList<>();
        roles.stream()
                .filter(role -> !role.name().equals(aggregated.name()))
                .filter(role -> selectors.stream().anyMatch(selector -> selector.matches(role.labels())))
                .sorted(Comparator.comparing(RoleEntry::name))
                .forEach(role -> role.rules().stream().filter(rule -> !rules.contains(rule)).forEach(rules::add));
        return rules;
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
