/**
 * Role-based access control, as kube-apiserver's RBAC authorizer: Roles, ClusterRoles and their bindings held in
 * memory from the store's watch, upstream's rule matching and reasons, the ClusterRole aggregation reconciler and the
 * escalation check every role and binding write passes.
 */
@NullMarked
package io.platform.api.authorization.rbac;

import org.jspecify.annotations.NullMarked;
