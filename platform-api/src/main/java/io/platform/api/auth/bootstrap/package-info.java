/** Bootstrap tokens, as kube-apiserver's bootstrap token authenticator: node agents join with them. */
@NullMarked
package io.platform.api.auth.bootstrap;

import org.jspecify.annotations.NullMarked;
