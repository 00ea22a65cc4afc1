/** Impersonation headers, as kube-apiserver's WithImpersonation filter: acting as another user when authorized to. */
@NullMarked
package io.platform.api.auth.impersonation;

import org.jspecify.annotations.NullMarked;
