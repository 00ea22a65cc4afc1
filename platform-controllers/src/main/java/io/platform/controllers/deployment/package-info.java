/** Deployment controller: one ReplicaSet per pod template, rolling updates, revisions and rollout status. */
@NullMarked
package io.platform.controllers.deployment;

import org.jspecify.annotations.NullMarked;
