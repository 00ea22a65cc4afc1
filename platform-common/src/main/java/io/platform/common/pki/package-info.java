/**
 * PEM files, key pairs, certificate signing requests and certificate signing shared by the API server's
 * cluster PKI, the controller manager's CSR signer and the node agent's TLS bootstrap.
 */
@NullMarked
package io.platform.common.pki;

import org.jspecify.annotations.NullMarked;
