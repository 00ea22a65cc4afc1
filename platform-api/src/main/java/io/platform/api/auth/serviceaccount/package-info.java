/**
 * ServiceAccount tokens, as kube-apiserver issues them: RS256 JWTs signed with rotating keys in the data dir,
 * requested through {@code serviceaccounts/{name}/token}, verified as bearer tokens, and the issuer's discovery
 * documents.
 */
@NullMarked
package io.platform.api.auth.serviceaccount;

import org.jspecify.annotations.NullMarked;
