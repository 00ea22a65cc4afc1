/**
 * The Node authorizer and the NodeRestriction admission plugin, as kube-apiserver's: a node agent
 * ({@code system:node:<name>} in {@code system:nodes}) reads only the Secrets, ConfigMaps, claims and service
 * accounts its own pods reference, and writes only its own Node, Lease and pods' status.
 */
@NullMarked
package io.platform.api.authorization.node;

import org.jspecify.annotations.NullMarked;
