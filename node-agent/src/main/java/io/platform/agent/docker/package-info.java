/** The Docker engine as the container runtime: connections and the labels of the containers the agent owns. */
@NullMarked
package io.platform.agent.docker;

import org.jspecify.annotations.NullMarked;
