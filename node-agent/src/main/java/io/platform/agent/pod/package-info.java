/** Pod workers: run the pods bound to this node as Docker containers and report their status. */
@NullMarked
package io.platform.agent.pod;

import org.jspecify.annotations.NullMarked;
