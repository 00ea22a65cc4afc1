/** The built-in OIDC provider (Spring Authorization Server) and its local users and groups. */
@NullMarked
package io.platform.server.identity;

import org.jspecify.annotations.NullMarked;
