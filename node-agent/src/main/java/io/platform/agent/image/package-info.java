/** Images made without a registry: busybox and the pod sandbox from the host's busybox, and docker-save archives. */
@NullMarked
package io.platform.agent.image;

import org.jspecify.annotations.NullMarked;
