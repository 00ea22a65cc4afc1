/**
 * Authentication of API requests: by client certificate today, and the token authenticator SPI that TokenReviews
 * (and later bearer-token requests) are answered by.
 */
@NullMarked
package io.platform.api.auth;

import org.jspecify.annotations.NullMarked;
