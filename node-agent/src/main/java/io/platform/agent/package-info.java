/** The node agent (kubelet): registers its Node, runs the pods bound to it, serves their logs. */
@NullMarked
package io.platform.agent;

import org.jspecify.annotations.NullMarked;
