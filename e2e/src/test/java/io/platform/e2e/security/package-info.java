/** Security suites with real kubectl against a real in-process API server: RBAC, tokens, sign-in. */
@NullMarked
package io.platform.e2e.security;

import org.jspecify.annotations.NullMarked;
