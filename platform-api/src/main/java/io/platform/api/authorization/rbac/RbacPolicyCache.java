package io.platform.api.authorization.rbac;

import io.platform.api.authorization.StoreFeed;
import io.platform.api.resource.ObjectKeys;
import io.platform.api.storage.KeyValue;
import io.platform.api.storage.WatchEvent;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every Role, ClusterRole, RoleBinding and ClusterRoleBinding in memory, kept current by a {@link StoreFeed} over
 * {@code /registry/rbac.authorization.k8s.io/}, as the RBAC authorizer's informers upstream. Reads never block on
 * I/O; a change is visible to requests once the store's watch delivered it.
 */
public final class RbacPolicyCache implements StoreFeed.Listener {

    /** The store prefix every RBAC object lives under. */
    public static final String PREFIX = "/registry/rbac.authorization.k8s.io/";

    private static final String ROLES = PREFIX + "roles/";
    private static final String CLUSTER_ROLES = PREFIX + "clusterroles/";
    private static final String ROLE_BINDINGS = PREFIX + "rolebindings/";
    private static final String CLUSTER_ROLE_BINDINGS = PREFIX + "clusterrolebindings/";

    private final Map<String, RoleEntry> roles = new ConcurrentHashMap<>();
    private final Map<String, RoleEntry> clusterRoles = new ConcurrentHashMap<>();
    private final Map<String, RoleBindingEntry> roleBindings = new ConcurrentHashMap<>();
    private final Map<String, RoleBindingEntry> clusterRoleBindings = new ConcurrentHashMap<>();
    private final List<Runnable> clusterRoleListeners = new CopyOnWriteArrayList<>();

    /** Runs {@code listener} after every change of a ClusterRole (on the watch's thread; it must not block). */
    public void onClusterRoleChange(Runnable listener) {
        clusterRoleListeners.add(listener);
    }

    @Override
    public void replace(List<KeyValue> items) {
        roles.clear();
        clusterRoles.clear();
        roleBindings.clear();
        clusterRoleBindings.clear();
        items.forEach(kv -> put(kv.key(), ObjectKeys.decode(kv)));
        clusterRoleListeners.forEach(Runnable::run);
    }

    @Override
    public void apply(WatchEvent event) {
        String key = event.kv().key();
        if (event.type() == WatchEvent.Type.DELETED) {
            mapOf(key).ifPresent(map -> map.remove(nameKey(key)));
        } else {
            put(key, ObjectKeys.decode(event.kv()));
        }
        if (key.startsWith(CLUSTER_ROLES)) {
            clusterRoleListeners.forEach(Runnable::run);
        }
    }

    private void put(String key, ObjectNode object) {
        String name = nameKey(key);
        if (key.startsWith(ROLES)) {
            roles.put(name, RoleEntry.of(object));
        } else if (key.startsWith(CLUSTER_ROLES)) {
            clusterRoles.put(name, RoleEntry.of(object));
        } else if (key.startsWith(ROLE_BINDINGS)) {
            roleBindings.put(name, RoleBindingEntry.of(object));
        } else if (key.startsWith(CLUSTER_ROLE_BINDINGS)) {
            clusterRoleBindings.put(name, RoleBindingEntry.of(object));
        }
    }

    private Optional<Map<String, ?>> mapOf(String key) {
        if (key.startsWith(ROLES)) {
            return Optional.of(roles);
        } else if (key.startsWith(CLUSTER_ROLES)) {
            return Optional.of(clusterRoles);
        } else if (key.startsWith(ROLE_BINDINGS)) {
            return Optional.of(roleBindings);
        } else if (key.startsWith(CLUSTER_ROLE_BINDINGS)) {
            return Optional.of(clusterRoleBindings);
        }
        return Optional.empty();
    }

    /** {@code ns/name} for namespaced objects, {@code name} for cluster-scoped ones: the key after the type. */
    private static String nameKey(String key) {
        String rest = key.substring(PREFIX.length());
        return rest.substring(rest.indexOf('/') + 1);
    }

    public Optional<RoleEntry> role(String namespace, String name) {
        return Optional.ofNullable(roles.get(namespace + "/" + name));
    }

    public Optional<RoleEntry> clusterRole(String name) {
        return Optional.ofNullable(clusterRoles.get(name));
    }

    public Collection<RoleEntry> clusterRoles() {
        return clusterRoles.values();
    }

    public Collection<RoleBindingEntry> clusterRoleBindings() {
        return clusterRoleBindings.values();
    }

    /** The RoleBindings of one namespace. */
    public List<RoleBindingEntry> roleBindings(String namespace) {
        String start = namespace + "/";
        return roleBindings.entrySet().stream()
                .filter(entry -> entry.getKey().startsWith(start))
                .map(Map.Entry::getValue)
                .toList();
    }
}
