/**
 * Authorization of API requests: the {@link io.platform.api.authorization.Authorizer} SPI, the attributes of a
 * request as kube-apiserver's RequestInfo derives them, the modes chained as {@code --authorization-mode} (Node and
 * RBAC by default, behind the {@code system:masters} group), and the filter that refuses what they do not allow.
 */
@NullMarked
package io.platform.api.authorization;

import org.jspecify.annotations.NullMarked;
