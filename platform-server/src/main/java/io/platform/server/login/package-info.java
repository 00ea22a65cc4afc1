/** {@code platform login} and the kubectl exec credential plugin ({@code platform credential}) for people. */
@NullMarked
package io.platform.server.login;

import org.jspecify.annotations.NullMarked;
