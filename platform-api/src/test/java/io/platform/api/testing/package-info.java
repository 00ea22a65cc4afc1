/** Test fixtures other modules use to run against a real API server (platform-api's test jar). */
@NullMarked
package io.platform.api.testing;

import org.jspecify.annotations.NullMarked;
