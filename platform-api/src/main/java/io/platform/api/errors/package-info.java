/** Kubernetes Status errors: typed API exceptions and the Status objects they become. */
@NullMarked
package io.platform.api.errors;

import org.jspecify.annotations.NullMarked;
