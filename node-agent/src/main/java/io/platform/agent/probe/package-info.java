/**
 * Container probes (liveness, readiness, startup) and lifecycle hooks (postStart, preStop), run as
 * the kubelet's prober and handler runner: exec, httpGet, tcpSocket and sleep handlers.
 */
@NullMarked
package io.platform.agent.probe;

import org.jspecify.annotations.NullMarked;
