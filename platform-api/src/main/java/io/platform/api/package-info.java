/** The API server application: configuration, TLS, start-up and health. */
@NullMarked
package io.platform.api;

import org.jspecify.annotations.NullMarked;
