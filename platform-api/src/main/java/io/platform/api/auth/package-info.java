/** Authentication of API requests by client certificate. */
@NullMarked
package io.platform.api.auth;

import org.jspecify.annotations.NullMarked;
