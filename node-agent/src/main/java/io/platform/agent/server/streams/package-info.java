/** The kubelet's streaming endpoints: exec and attach over WebSocket channels, port-forward over SPDY/3.1. */
@NullMarked
package io.platform.agent.server.streams;

import org.jspecify.annotations.NullMarked;
