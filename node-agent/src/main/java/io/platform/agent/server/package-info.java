/**
 * The agent's own HTTPS API: every call authenticated (client certificate or TokenReview) and authorized
 * (SubjectAccessReview on {@code nodes/<subresource>}) as the kubelet's; container logs; a serving certificate
 * reloaded when it is renewed.
 */
@NullMarked
package io.platform.agent.server;

import org.jspecify.annotations.NullMarked;
