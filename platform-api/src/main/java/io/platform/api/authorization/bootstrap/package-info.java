/**
 * The default RBAC policy, as kube-apiserver's {@code rbac/bootstrap-roles} post-start hook: the ClusterRoles and
 * ClusterRoleBindings every cluster has and each platform component's least-privilege role, reconciled when the API
 * server starts.
 */
@NullMarked
package io.platform.api.authorization.bootstrap;

import org.jspecify.annotations.NullMarked;
