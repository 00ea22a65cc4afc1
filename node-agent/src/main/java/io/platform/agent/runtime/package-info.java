/**
 * The container runtime contract the pod workers, probes, streams and stats use, whatever runs the
 * containers: the Docker engine, host processes, or nothing at all (simulated nodes).
 */
@NullMarked
package io.platform.agent.runtime;

import org.jspecify.annotations.NullMarked;
