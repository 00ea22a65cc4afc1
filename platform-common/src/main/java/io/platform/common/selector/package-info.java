/** Label selector matching for selectors carried in objects (Deployment, ReplicaSet, nodeSelector). */
@NullMarked
package io.platform.common.selector;

import org.jspecify.annotations.NullMarked;
