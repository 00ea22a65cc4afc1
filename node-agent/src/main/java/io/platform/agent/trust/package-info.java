/**
 * Keeps a joined node agent's trust in step with the cluster's CA bundle through a CA rotation: the bundle the
 * cluster publishes, read over TLS verified with the trust the agent holds, replaces its kubeconfig's CA data and its
 * client CA file.
 */
@NullMarked
package io.platform.agent.trust;

import org.jspecify.annotations.NullMarked;
