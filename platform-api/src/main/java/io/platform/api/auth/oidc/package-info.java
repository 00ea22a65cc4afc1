/**
 * OIDC single sign-on: id_tokens from external issuers, validated against each issuer's discovery document and keys
 * and mapped to users and groups as kube-apiserver's {@code --oidc-*} flags do.
 */
@NullMarked
package io.platform.api.auth.oidc;

import org.jspecify.annotations.NullMarked;
