/** Node registration, status heartbeat and the node Lease, with capacity read from the host. */
@NullMarked
package io.platform.agent.node;

import org.jspecify.annotations.NullMarked;
