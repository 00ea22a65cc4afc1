/** ReplicaSet controller: keeps the number of pods matching a ReplicaSet at its replicas. */
@NullMarked
package io.platform.controllers.replicaset;

import org.jspecify.annotations.NullMarked;
