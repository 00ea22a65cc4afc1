package io.platform.api.authorization.bootstrap;

import io.platform.api.authorization.rbac.PolicyRule;
import io.platform.api.authorization.rbac.RuleCoverage;
import io.platform.api.errors.ApiException;
import io.platform.api.json.Json;
import io.platform.api.registry.BuiltinResources;
import io.platform.api.registry.ResourceType;
import io.platform.api.resource.ResourceStorage;
import io.platform.api.resource.UpdateMode;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reconciles the {@link BootstrapPolicy} into the store when the API server starts, as upstream's
 * {@code rbac/bootstrap-roles} post-start hook: missing roles and bindings are created; those annotated
 * {@code rbac.authorization.kubernetes.io/autoupdate: "true"} (or not annotated) gain the rules, selectors,
 * subjects, labels and annotations they lack; nothing a user added is ever removed, and objects annotated
 * {@code "false"} are left as they are.
 */
public final class BootstrapPolicyReconciler {

    private static final Logger log = LoggerFactory.getLogger(BootstrapPolicyReconciler.class);
    private static final String RBAC = "rbac.authorization.k8s.io";
    static final ResourceType CLUSTER_ROLES = BuiltinResources.find(RBAC, "v1", "clusterroles").orElseThrow();
    static final ResourceType CLUSTER_ROLE_BINDINGS = BuiltinResources.find(RBAC, "v1", "clusterrolebindings")
            .orElseThrow();

    private final ResourceStorage storage;

    public BootstrapPolicyReconciler(ResourceStorage storage) {
        this.storage = storage;
    }

    /** Creates or completes every default ClusterRole, then every default ClusterRoleBinding. */
    public void reconcile() {
        int changed = 0;
        for (ObjectNode role : BootstrapPolicy.clusterRoles()) {
            changed += reconcile(CLUSTER_ROLES, role) ? 1 : 0;
        }
        for (ObjectNode binding : BootstrapPolicy.clusterRoleBindings()) {
            changed += reconcile(CLUSTER_ROLE_BINDINGS, binding) ? 1 : 0;
        }
        log.info("bootstrap RBAC policy reconciled: {} objects created or completed", changed);
    }

    private boolean reconcile(ResourceType type, ObjectNode expected) {
        String name = expected.path("metadata").path("name").asString();
        ObjectNode existing;
        try {
            existing = storage.get(type, null, name);
        } catch (ApiException e) {
            if (e.code() != 404) {
                throw e;
            }
            return create(type, expected);
        }
        // as upstream, only "false" protects an object; without the annotation it is completed (and gains it)
        if ("false".equals(existing.path("metadata").path("annotations").path(BootstrapPolicy.AUTOUPDATE)
                .asString(""))) {
            return false;
        }
        if (completed(type, existing.deepCopy(), expected) == null) {
            return false;
        }
        storage.update(type, null, name, UpdateMode.MAIN, false, current -> {
            ObjectNode done = completed(type, current, expected);
            return done == null ? current : done;
        });
        log.info("completed bootstrap {} {}", type.qualifiedPlural(), name);
        return true;
    }

    private boolean create(ResourceType type, ObjectNode expected) {
        try {
            storage.create(type, null, expected.deepCopy(), false);
            return true;
        } catch (ApiException e) {
            if (e.code() == 409) {
                // another API server created it first
                return false;
            }
            throw e;
        }
    }

    /** {@code existing} with what it lacks of {@code expected} added, or null when it lacks nothing. */
    static @Nullable ObjectNode completed(ResourceType type, ObjectNode existing, ObjectNode expected) {
        boolean changed = addMissingEntries(existing, expected, "labels");
        changed |= addMissingEntries(existing, expected, "annotations");
        if (type.plural().equals("clusterroles")) {
            changed |= expected.has("aggregationRule") ? addMissingSelectors(existing, expected)
                    : addMissingRules(existing, expected);
        } else {
            changed |= addMissingSubjects(existing, expected);
        }
        return changed ? existing : null;
    }

    private static boolean addMissingEntries(ObjectNode existing, ObjectNode expected, String field) {
        ObjectNode have = Json.child(Json.metadata(existing), field);
        boolean changed = false;
        for (var entry : expected.path("metadata").path(field).properties()) {
            if (!have.has(entry.getKey())) {
                have.set(entry.getKey(), entry.getValue().deepCopy());
                changed = true;
            }
        }
        return changed;
    }

    /** As upstream's reconcile of a role: the rules it does not cover yet are appended. */
    private static boolean addMissingRules(ObjectNode existing, ObjectNode expected) {
        List<PolicyRule> missing = RuleCoverage.uncovered(PolicyRule.listOf(existing.path("rules")),
                PolicyRule.listOf(expected.path("rules")));
        if (missing.isEmpty()) {
            return false;
        }
        ArrayNode rules = existing.path("rules").isArray() ? (ArrayNode) existing.get("rules") : existing.putArray("rules");
        missing.forEach(rule -> rules.add(rule.toJson()));
        return true;
    }

    /** An aggregated role gains the selectors it lacks; its rules belong to the aggregation reconciler. */
    private static boolean addMissingSelectors(ObjectNode existing, ObjectNode expected) {
        ObjectNode aggregation = Json.child(existing, "aggregationRule");
        ArrayNode selectors = aggregation.path("clusterRoleSelectors").isArray()
                ? (ArrayNode) aggregation.get("clusterRoleSelectors") : aggregation.putArray("clusterRoleSelectors");
        boolean changed = false;
        for (JsonNode selector : expected.path("aggregationRule").path("clusterRoleSelectors")) {
            if (!contains(selectors, selector)) {
                selectors.add(selector.deepCopy());
                changed = true;
            }
        }
        return changed;
    }

    private static boolean addMissingSubjects(ObjectNode existing, ObjectNode expected) {
        if (!expected.path("subjects").isArray()) {
            return false;
        }
        ArrayNode subjects = existing.path("subjects").isArray() ? (ArrayNode) existing.get("subjects")
                : existing.putArray("subjects");
        List<JsonNode> missing = new ArrayList<>();
        for (JsonNode subject : expected.path("subjects")) {
            boolean present = false;
            for (JsonNode have : subjects) {
                present |= have.path("kind").equals(subject.path("kind")) && have.path("name").equals(subject.path("name"))
                        && have.path("namespace").asString("").equals(subject.path("namespace").asString(""));
            }
            if (!present) {
                missing.add(subject.deepCopy());
            }
        }
        missing.forEach(subjects::add);
        return !missing.isEmpty();
    }

    private static boolean contains(ArrayNode array, JsonNode value) {
        for (JsonNode item : array) {
            if (item.equals(value)) {
                return true;
            }
        }
        return false;
    }
}
