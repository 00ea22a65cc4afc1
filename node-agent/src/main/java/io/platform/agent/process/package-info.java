/**
 * The process runtime: each container a host process started by a small supervisor that outlives the agent (CRI log
 * files, exit records); as root, pods get a network namespace on a bridge and containers their own mount namespace and
 * cgroup v1 limits.
 */
@NullMarked
package io.platform.agent.process;

import org.jspecify.annotations.NullMarked;
