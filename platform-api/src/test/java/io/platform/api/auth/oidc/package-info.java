/** Tests of OIDC single sign-on against a real OIDC provider on loopback, and that provider for other suites. */
@NullMarked
package io.platform.api.auth.oidc;

import org.jspecify.annotations.NullMarked;
