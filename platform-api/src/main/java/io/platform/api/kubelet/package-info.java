/** The API server as a client of node agents: TLS with the node-client certificate, node addresses, container choice. */
@NullMarked
package io.platform.api.kubelet;

import org.jspecify.annotations.NullMarked;
