/** Resource quantity math: CPU and memory amounts of containers and pods, as Kubernetes counts them. */
@NullMarked
package io.platform.common.resources;

import org.jspecify.annotations.NullMarked;
