/** The cluster's own certificate authority, the certificates it issues and the kubeconfigs built from them. */
@NullMarked
package io.platform.api.pki;

import org.jspecify.annotations.NullMarked;
