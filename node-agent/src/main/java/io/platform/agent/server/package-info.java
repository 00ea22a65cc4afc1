/** The agent's own HTTPS API: client-certificate check, container logs, health. */
@NullMarked
package io.platform.agent.server;

import org.jspecify.annotations.NullMarked;
