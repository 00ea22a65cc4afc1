/** Proxy of pod logs to the node agent that runs the pod. */
@NullMarked
package io.platform.api.logs;

import org.jspecify.annotations.NullMarked;
