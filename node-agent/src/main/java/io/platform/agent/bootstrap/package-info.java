/**
 * TLS bootstrap and certificate rotation of the node agent, as the kubelet's: a client certificate requested with a
 * bootstrap token, a serving certificate requested with the node's identity, both renewed through
 * CertificateSigningRequests before they expire.
 */
@NullMarked
package io.platform.agent.bootstrap;

import org.jspecify.annotations.NullMarked;
