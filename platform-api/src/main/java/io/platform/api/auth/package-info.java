/**
 * Authentication of API requests, as kube-apiserver's chain: client certificates, then bearer tokens through the
 * token authenticators (ServiceAccount JWTs, bootstrap tokens, OIDC id_tokens), {@code system:authenticated} added
 * as upstream; the anonymous user only on the public paths.
 */
@NullMarked
package io.platform.api.auth;

import org.jspecify.annotations.NullMarked;
