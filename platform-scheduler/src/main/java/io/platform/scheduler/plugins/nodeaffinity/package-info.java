/** NodeAffinity: the pod's nodeSelector must match the node's labels. */
@NullMarked
package io.platform.scheduler.plugins.nodeaffinity;

import org.jspecify.annotations.NullMarked;
